// The business calendar's table and its arithmetic. This file is part of the runtime: it uses no
// ICU and no YAML (the loader in calendar_yaml.cpp did the time-zone work), and no query
// allocates. Every instant is an int64 count of UTC milliseconds; validation bounds them all to
// [0, kCalendarMaxInstantMs], so sums and differences below cannot overflow. What lies past the
// table's last day is answered by the weekly pattern, in weekly.cpp.
#include <callscript/calendar.h>

#include <algorithm>
#include <cstring>

namespace callscript {

namespace {

constexpr char kMagic[4] = {'C', 'L', 'C', 'A'};
constexpr std::uint16_t kMajor = 1;
constexpr std::uint16_t kMinor = 1;  // 1.1: the edges (first and last day, the weekly pattern)
constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t ms(Instant t) { return t.time_since_epoch().count(); }
Instant at_ms(std::int64_t v) { return Instant(std::chrono::milliseconds(v)); }
CalendarResult fail(CalendarStatus s) { return {s, Instant{}}; }
CalendarResult ok(std::int64_t v) { return {CalendarStatus::Ok, at_ms(v)}; }

// Little-endian writer and a bounds-checked reader: the reader never reads past its span, and
// reports a short read instead.
void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_i32(std::vector<std::uint8_t>& out, std::int32_t v) { put_u32(out, static_cast<std::uint32_t>(v)); }
void put_i64(std::vector<std::uint8_t>& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

struct Reader {
  std::span<const std::uint8_t> bytes;
  std::size_t at = 0;
  bool short_read = false;

  std::size_t left() const { return bytes.size() - at; }
  std::uint64_t take(int n) {
    if (left() < static_cast<std::size_t>(n)) {
      short_read = true;
      at = bytes.size();
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(bytes[at + i]) << (8 * i);
    at += static_cast<std::size_t>(n);
    return v;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(take(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(take(4)); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  // `count` records of `width` bytes each, read by `read_one` once they are known to be there:
  // a hostile count cannot make the reader allocate more than the input's own size.
  template <class T, class ReadOne>
  bool records(std::uint64_t count, std::size_t width, std::vector<T>& out, ReadOne read_one) {
    if (short_read || count > left() / width) return false;
    out.resize(count);
    for (T& item : out) read_one(item);
    return true;
  }
  std::int64_t i64() { return static_cast<std::int64_t>(take(8)); }
};

}  // namespace

std::string_view to_string(CalendarStatus s) {
  switch (s) {
    case CalendarStatus::Ok: return "ok";
    case CalendarStatus::BeforeTable: return "before the calendar's range";
    case CalendarStatus::PastTable: return "past the calendar's last working moment";
    case CalendarStatus::NegativeDuration: return "negative duration";
  }
  return "unknown status";
}

std::string_view to_string(CalendarBasis b) {
  switch (b) {
    case CalendarBasis::Table: return "the calendar's table";
    case CalendarBasis::WeeklyPattern: return "the weekly pattern past the calendar's last day";
    case CalendarBasis::None: return "nothing the calendar knows";
  }
  return "unknown basis";
}

namespace {

std::string validate_edges(const CalendarTable& t) {
  const CalendarEdges& e = *t.edges;
  if (e.last_day < e.first_day) return "the range's last day is before its first";
  // A local midnight is less than a day from the UTC midnight of the same date.
  auto near = [](std::int64_t ms, std::int64_t day) { return ms > day * kDayMs - kDayMs && ms < day * kDayMs + kDayMs; };
  if (!near(t.range_begin_ms, e.first_day) || !near(t.range_end_ms, std::int64_t{e.last_day} + 1))
    return "the range's first and last days disagree with its instants";
  if (e.weekdays > 0x7F) return "weekday bits past Saturday";
  int previous_end = 0;
  for (std::size_t i = 0; i < e.hours.size(); ++i) {
    const LocalHours& h = e.hours[i];
    if (h.begin_min >= h.end_min || h.end_min > 24 * 60 || h.begin_min < previous_end)
      return "weekly hours " + std::to_string(i) + " are empty, past midnight, or out of order";
    previous_end = h.end_min;
  }
  if (e.offsets.empty() || e.offsets.front().at_ms != t.range_end_ms) return "the zone's offsets do not start at the range's end";
  const std::int64_t window_end = std::min(t.range_end_ms + kGregorianCycleMs, kCalendarMaxInstantMs);
  for (std::size_t i = 0; i < e.offsets.size(); ++i) {
    const OffsetChange& o = e.offsets[i];
    if (o.offset_ms > kCalendarMaxOffsetMs || o.offset_ms < -kCalendarMaxOffsetMs) return "a zone offset beyond 18 hours";
    if (i > 0 && (o.at_ms <= e.offsets[i - 1].at_ms || o.at_ms >= window_end))
      return "offset change " + std::to_string(i) + " is out of order or past the 400 years after the range";
  }
  return {};
}

}  // namespace

std::string validate(const CalendarTable& t) {
  if (t.time_zone.size() > kCalendarMaxZoneId) return "time zone id longer than 64 bytes";
  for (char c : t.time_zone)
    if (c < 0x21 || c > 0x7e) return "time zone id is not printable ASCII";
  if (t.range_begin_ms < 0 || t.range_end_ms > kCalendarMaxInstantMs || t.range_begin_ms >= t.range_end_ms)
    return "range is empty or outside 1970..9999";
  if (t.intervals.size() >= 0xFFFFFFFFu) return "too many intervals";
  std::int64_t previous_end = t.range_begin_ms;
  for (std::size_t i = 0; i < t.intervals.size(); ++i) {
    const WorkInterval& w = t.intervals[i];
    if (w.begin_ms >= w.end_ms) return "interval " + std::to_string(i) + " is empty or reversed";
    if (w.begin_ms < previous_end)
      return "interval " + std::to_string(i) + (i ? " overlaps or precedes the one before" : " starts before the range");
    if (w.end_ms > t.range_end_ms) return "interval " + std::to_string(i) + " ends past the range";
    previous_end = w.end_ms;
  }
  if (t.intervals.empty() != t.day_starts.empty()) return "working days and intervals disagree";
  if (!t.day_starts.empty() && t.day_starts.front() != 0) return "the first working day does not start at interval 0";
  for (std::size_t d = 1; d < t.day_starts.size(); ++d)
    if (t.day_starts[d] <= t.day_starts[d - 1]) return "working day " + std::to_string(d) + " is out of order or empty";
  if (!t.day_starts.empty() && t.day_starts.back() >= t.intervals.size()) return "the last working day has no interval";
  if (t.edges) return validate_edges(t);
  return {};
}

BusinessCalendar::BusinessCalendar(CalendarTable table) : table_(std::move(table)) {
  worked_.reserve(table_.intervals.size() + 1);
  std::int64_t sum = 0;
  worked_.push_back(0);
  for (const WorkInterval& w : table_.intervals) worked_.push_back(sum += w.end_ms - w.begin_ms);
  if (!table_.edges) return;
  for (const LocalHours& h : table_.edges->hours) day_work_ += std::int64_t{h.end_min - h.begin_min} * 60'000;
  // Day i of a week counted from a Thursday (1970-01-01 was one) is weekday (4 + i) % 7.
  for (int i = 0; i < 7; ++i)
    week_before_[i + 1] = week_before_[i] + ((table_.edges->weekdays >> ((4 + i) % 7)) & 1 ? day_work_ : 0);
  week_work_ = week_before_[7];
}

std::optional<std::chrono::sys_days> BusinessCalendar::first_day() const {
  if (!table_.edges) return std::nullopt;
  return std::chrono::sys_days(std::chrono::days(table_.edges->first_day));
}

std::optional<std::chrono::sys_days> BusinessCalendar::last_day() const {
  if (!table_.edges) return std::nullopt;
  return std::chrono::sys_days(std::chrono::days(table_.edges->last_day));
}

CalendarLoad BusinessCalendar::from_table(CalendarTable table) {
  CalendarLoad result;
  result.error = validate(table);
  if (result.error.empty()) result.calendar.emplace(BusinessCalendar(std::move(table)));
  return result;
}

std::vector<std::uint8_t> BusinessCalendar::to_bytes() const {
  std::vector<std::uint8_t> out;
  const std::size_t edges = table_.edges ? 15 + table_.edges->hours.size() * 4 + table_.edges->offsets.size() * 12 : 0;
  out.reserve(40 + table_.time_zone.size() + table_.intervals.size() * 16 + table_.day_starts.size() * 4 + edges);
  for (char c : kMagic) out.push_back(static_cast<std::uint8_t>(c));  // (insert trips a GCC 12 false warning)
  put_u16(out, kMajor);
  put_u16(out, table_.edges ? kMinor : 0);  // a table without edges is what 1.0 wrote
  put_i64(out, table_.range_begin_ms);
  put_i64(out, table_.range_end_ms);
  put_u16(out, static_cast<std::uint16_t>(table_.time_zone.size()));
  for (char c : table_.time_zone) out.push_back(static_cast<std::uint8_t>(c));
  put_u32(out, static_cast<std::uint32_t>(table_.intervals.size()));
  put_u32(out, static_cast<std::uint32_t>(table_.day_starts.size()));
  for (const WorkInterval& w : table_.intervals) {
    put_i64(out, w.begin_ms);
    put_i64(out, w.end_ms);
  }
  for (std::uint32_t d : table_.day_starts) put_u32(out, d);
  if (const auto& e = table_.edges) {
    put_i32(out, e->first_day);
    put_i32(out, e->last_day);
    out.push_back(e->weekdays);
    put_u16(out, static_cast<std::uint16_t>(e->hours.size()));
    for (const LocalHours& h : e->hours) {
      put_u16(out, h.begin_min);
      put_u16(out, h.end_min);
    }
    put_u32(out, static_cast<std::uint32_t>(e->offsets.size()));
    for (const OffsetChange& o : e->offsets) {
      put_i64(out, o.at_ms);
      put_i32(out, o.offset_ms);
    }
  }
  return out;
}

CalendarLoad BusinessCalendar::from_bytes(std::span<const std::uint8_t> bytes) {
  CalendarLoad result;
  Reader in{bytes};
  if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, 4) != 0) {
    result.error = "not a business calendar table (bad magic)";
    return result;
  }
  in.at = 4;
  const std::uint16_t major = in.u16(), minor = in.u16();
  if (!in.short_read && major != kMajor) {
    result.error = "calendar table format " + std::to_string(major) + "." + std::to_string(minor) +
                   " is not supported (this reader knows " + std::to_string(kMajor) + ".x)";
    return result;
  }
  CalendarTable t;
  t.range_begin_ms = in.i64();
  t.range_end_ms = in.i64();
  const std::uint16_t zone_len = in.u16();
  // Every length is checked against the bytes that are left before anything is reserved, so a
  // hostile count cannot make us allocate more than the input's own size.
  if (in.short_read || zone_len > in.left()) {
    result.error = "calendar table is truncated";
    return result;
  }
  t.time_zone.assign(reinterpret_cast<const char*>(bytes.data() + in.at), zone_len);
  in.at += zone_len;
  const std::uint32_t interval_count = in.u32(), day_count = in.u32();
  if (in.short_read || interval_count > in.left() / 16 ||
      static_cast<std::uint64_t>(interval_count) * 16 + static_cast<std::uint64_t>(day_count) * 4 > in.left()) {
    result.error = "calendar table is truncated";
    return result;
  }
  t.intervals.resize(interval_count);
  for (WorkInterval& w : t.intervals) {
    w.begin_ms = in.i64();
    w.end_ms = in.i64();
  }
  t.day_starts.resize(day_count);
  for (std::uint32_t& d : t.day_starts) d = in.u32();
  if (minor >= 1) {
    CalendarEdges& e = t.edges.emplace();
    e.first_day = in.i32();
    e.last_day = in.i32();
    e.weekdays = in.u8();
    const bool complete =
        in.records(in.u16(), 4, e.hours, [&](LocalHours& h) { h = {in.u16(), in.u16()}; }) &&
        in.records(in.u32(), 12, e.offsets, [&](OffsetChange& o) { o = {in.i64(), in.i32()}; });
    if (!complete) {
      result.error = "calendar table is truncated";
      return result;
    }
  }
  // A newer minor version may append fields, which this reader skips; the same minor may not.
  if (minor <= kMinor && in.left() != 0) {
    result.error = "calendar table has " + std::to_string(in.left()) + " trailing bytes";
    return result;
  }
  if (std::string why = validate(t); !why.empty()) {
    result.error = "calendar table is invalid: " + why;
    return result;
  }
  result.calendar.emplace(BusinessCalendar(std::move(t)));
  return result;
}

// --- queries --------------------------------------------------------------------------------------
// The intervals are sorted by begin and disjoint, and worked_ is strictly increasing (no interval
// is empty), so each lookup is one binary search.

std::int64_t BusinessCalendar::worked_before(std::int64_t t) const {
  const auto& iv = table_.intervals;
  const auto it = std::upper_bound(iv.begin(), iv.end(), t, [](std::int64_t v, const WorkInterval& w) { return v < w.begin_ms; });
  if (it == iv.begin()) return 0;
  const auto k = static_cast<std::size_t>(it - iv.begin()) - 1;
  return worked_[k] + (std::min(t, iv[k].end_ms) - iv[k].begin_ms);
}

std::int64_t BusinessCalendar::instant_at(std::int64_t w) const {
  // The first interval whose end has w of working time before it: "earliest", so a result that
  // uses up an interval exactly is that interval's end, not the next one's begin.
  const auto it = std::lower_bound(worked_.begin() + 1, worked_.end(), w);
  const auto k = static_cast<std::size_t>(it - worked_.begin()) - 1;
  return table_.intervals[k].begin_ms + (w - worked_[k]);
}

bool BusinessCalendar::is_working(Instant t) const {
  const std::int64_t v = ms(t);
  if (v >= table_.range_end_ms) return basis_at(t) == CalendarBasis::WeeklyPattern && pattern_is_working(v);
  const auto& iv = table_.intervals;
  const auto it = std::upper_bound(iv.begin(), iv.end(), v, [](std::int64_t x, const WorkInterval& w) { return x < w.begin_ms; });
  return it != iv.begin() && v < (it - 1)->end_ms;
}

CalendarBasis BusinessCalendar::basis_at(Instant t) const {
  const std::int64_t v = ms(t);
  if (v < table_.range_begin_ms) return CalendarBasis::None;
  if (v < table_.range_end_ms) return CalendarBasis::Table;
  return has_weekly_pattern() && v < kCalendarMaxInstantMs ? CalendarBasis::WeeklyPattern : CalendarBasis::None;
}

CalendarResult BusinessCalendar::next_working_moment(Instant t) const {
  const std::int64_t v = ms(t);
  if (v < table_.range_begin_ms) return fail(CalendarStatus::BeforeTable);
  if (v >= table_.range_end_ms) return pattern_next_working(v);
  const auto& iv = table_.intervals;
  const auto it = std::upper_bound(iv.begin(), iv.end(), v, [](std::int64_t x, const WorkInterval& w) { return x < w.begin_ms; });
  if (it != iv.begin() && v < (it - 1)->end_ms) return ok(v);
  if (it == iv.end()) return pattern_next_working(table_.range_end_ms);
  return ok(it->begin_ms);
}

std::chrono::milliseconds BusinessCalendar::work_time_between(Instant a, Instant b) const {
  const std::int64_t lo = std::max(ms(a), table_.range_begin_ms), hi = ms(b);
  if (hi <= lo) return std::chrono::milliseconds(0);
  const std::int64_t end = table_.range_end_ms;
  std::int64_t sum = lo < end ? worked_before(std::min(hi, end)) - worked_before(lo) : 0;
  if (hi > end && has_weekly_pattern()) {
    const std::int64_t from = std::max(lo, end), to = std::min(hi, kCalendarMaxInstantMs);
    if (from < to) sum += pattern_work_between(from, to);
  }
  return std::chrono::milliseconds(sum);
}

CalendarResult BusinessCalendar::add_work_time(Instant start, std::chrono::milliseconds d) const {
  const std::int64_t s = ms(start), n = d.count();
  if (n < 0) return fail(CalendarStatus::NegativeDuration);
  if (s < table_.range_begin_ms) return fail(CalendarStatus::BeforeTable);
  if (s >= table_.range_end_ms) return pattern_add_work(s, n);
  if (n == 0) return ok(s);  // nothing to wait for, not even the next working moment
  const std::int64_t w0 = worked_before(s);
  const std::int64_t left = worked_.back() - w0;
  if (n > left) return pattern_add_work(table_.range_end_ms, n - left);  // the subtraction guards overflow
  return ok(instant_at(w0 + n));
}

CalendarResult BusinessCalendar::add_workdays(Instant start, std::int64_t n) const {
  if (n < 0) return fail(CalendarStatus::NegativeDuration);
  const CalendarResult m = next_working_moment(start);
  if (!m.ok() || n == 0) return m;
  const std::int64_t v = ms(m.at);
  if (v >= table_.range_end_ms) {
    // m was found on the weekly pattern: its local day, and how far into that day's hours it is.
    const std::int64_t local = v + period_at(v).offset;
    const std::int64_t day = local / kDayMs;  // local >= 0: the range starts in 1971 or later
    return pattern_add_days(day, pattern_in_day(local - day * kDayMs), n);
  }
  const auto& iv = table_.intervals;
  const auto& days = table_.day_starts;
  // The interval holding m, then the working day holding that interval.
  const auto k = static_cast<std::uint32_t>(
      std::upper_bound(iv.begin(), iv.end(), v, [](std::int64_t x, const WorkInterval& w) { return x < w.begin_ms; }) -
      iv.begin() - 1);
  const auto day = static_cast<std::size_t>(std::upper_bound(days.begin(), days.end(), k) - days.begin() - 1);
  const std::int64_t offset = worked_before(v) - worked_[days[day]];
  if (static_cast<std::uint64_t>(n) >= days.size() - day) {
    // The table's last working day is n - left working days before the target.
    if (!table_.edges) return fail(CalendarStatus::PastTable);
    const auto left = static_cast<std::int64_t>(days.size() - 1 - day);
    return pattern_add_days(table_.edges->last_day, offset, n - left);
  }

  const std::size_t target = day + static_cast<std::size_t>(n);
  const std::size_t first = days[target];
  const std::size_t last = target + 1 < days.size() ? days[target + 1] : iv.size();  // exclusive
  if (offset >= worked_[last] - worked_[first]) return ok(iv[last - 1].end_ms);  // a shorter day
  // The interval of the target day holding working time `w`, counted half-open like the start:
  // an offset equal to an interval's end lands on the next interval's begin.
  const std::int64_t w = worked_[first] + offset;
  const auto j = static_cast<std::size_t>(std::upper_bound(worked_.begin() + static_cast<std::ptrdiff_t>(first),
                                                           worked_.begin() + static_cast<std::ptrdiff_t>(last), w) -
                                          worked_.begin() - 1);
  return ok(iv[j].begin_ms + (w - worked_[j]));
}

CalendarResult BusinessCalendar::deadline(Instant start, BusinessDuration d) const {
  if (d.unit == BusinessDuration::Unit::WorkDays) return add_workdays(start, d.amount);
  return add_work_time(start, std::chrono::milliseconds(d.amount));
}

CalendarResult BusinessCalendar::internal_deadline(Instant start, BusinessDuration promise, std::uint32_t percent) const {
  // The promise's own deadline must exist: a timer for a promise the table cannot place would
  // otherwise fire at a time nobody can check against what the customer was told.
  const CalendarResult promised = deadline(start, promise);
  if (!promised.ok()) return promised;
  const std::chrono::milliseconds worked = work_time_between(start, promised.at);
  CalendarResult r = add_work_time(start, promise_share(worked, std::min(percent, 100u)));
  if (r.ok() && promised.basis == CalendarBasis::WeeklyPattern) r.basis = CalendarBasis::WeeklyPattern;
  return r;
}

}  // namespace callscript
