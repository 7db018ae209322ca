// Loads a business calendar from YAML and expands it, with ICU, into the runtime's UTC table.
//
// Why the work is split this way: civil dates (which day is a Saturday, which days a holiday
// span covers) do not depend on any time zone, so they are plain std::chrono arithmetic; turning
// "09:00 on 2025-03-31 in Europe/Berlin" into an instant does, and that is ICU's job (its zone
// data knows every past and announced offset change). Once the table exists the runtime needs
// neither.
#include <callscript/calendar_yaml.h>

#include "text/text.h"

#include <unicode/basictz.h>
#include <unicode/gregocal.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tzrule.h>
#include <unicode/tztrans.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace callscript {

namespace {

using Day = std::chrono::sys_days;
namespace chr = std::chrono;

constexpr std::array<std::string_view, 7> kKeys = {"name", "time_zone", "working_hours", "weekend",
                                                   "holidays", "makeup_workdays", "range"};
constexpr std::array<std::string_view, 7> kWeekdays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                                           "Thursday", "Friday", "Saturday"};
// Bounds that keep every local midnight of the range inside [0, kCalendarMaxInstantMs] in any
// zone, and the table under a megabyte or so.
constexpr int kFirstYear = 1971, kLastYear = 9998, kMaxRangeYears = 50;

struct HourSpan {
  int begin_min = 0, end_min = 0;  // minutes after local midnight; end may be 24 * 60
  YAML::Node node;
};

struct DayMark {
  Day day;
  YAML::Node node;
};

// The zone's UTC offset at `from` and at every change in the Gregorian cycle after it, for the
// weekly pattern past the table; empty when ICU cannot list the changes.
std::vector<OffsetChange> offsets_from(const icu::TimeZone& zone, std::int64_t from, UErrorCode& status) {
  const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(&zone);
  if (basic == nullptr) return {};  // every zone createTimeZone makes is one
  std::int32_t raw = 0, dst = 0;
  zone.getOffset(static_cast<UDate>(from), false, raw, dst, status);
  std::vector<OffsetChange> out{{from, raw + dst}};
  const std::int64_t end = std::min(from + kGregorianCycleMs, kCalendarMaxInstantMs);
  icu::TimeZoneTransition change;
  for (UDate at = static_cast<UDate>(from); basic->getNextTransition(at, false, change) && change.getTime() < static_cast<UDate>(end);) {
    at = change.getTime();
    const std::int32_t offset = change.getTo()->getRawOffset() + change.getTo()->getDSTSavings();
    if (offset != out.back().offset_ms) out.push_back({std::llround(at), offset});
  }
  return out;
}

class Loader {
 public:
  Loader(const SourceFile& source, Diagnostics& diags) : src_(source), diags_(diags) {}

  std::optional<BusinessCalendar> run();

 private:
  // The span of a node's text in the source: yaml-cpp gives the start (a byte offset); the end is
  // found by reading the token, so the caret covers the whole value (quotes included).
  // (A default-constructed YAML::Node is a defined null node, hence pointers for "no fallback".)
  Span span_of(const YAML::Node& node, const YAML::Node* fallback = nullptr) const;
  Span span_at(const YAML::Mark& mark, std::size_t width) const;
  Diagnostic& error(Code code, const YAML::Node& node, std::string message, const YAML::Node* fallback = nullptr) {
    return diags_.report(code, span_of(node, fallback), std::move(message));
  }

  bool collect_keys(const YAML::Node& root);
  std::optional<std::string> text(const YAML::Node& node, const YAML::Node* key, std::string_view what);
  std::optional<std::vector<YAML::Node>> list(const YAML::Node& node, const YAML::Node* key, std::string_view what);
  std::optional<Day> date(const YAML::Node& node);
  std::optional<HourSpan> hours(const YAML::Node& node);
  using Entry = std::pair<YAML::Node, YAML::Node>;  // (key node, value)
  void read_time_zone(const Entry& entry);
  void read_working_hours(const Entry& entry);
  void read_weekend();
  void read_range(const Entry& entry);
  void read_holidays();
  void read_makeup();
  bool in_range(Day d) const { return d >= from_ && d <= to_; }
  std::optional<BusinessCalendar> build();

  const SourceFile& src_;
  Diagnostics& diags_;
  std::map<std::string, Entry, std::less<>> keys_;
  std::unique_ptr<icu::TimeZone> zone_;
  std::string zone_id_;
  YAML::Node zone_node_, hours_node_;  // where build()'s own errors point
  std::vector<HourSpan> hours_;
  std::array<bool, 7> weekend_ = {true, false, false, false, false, false, true};  // by c_encoding
  bool have_range_ = false;
  Day from_{}, to_{};
  std::map<Day, YAML::Node> holidays_;  // each day of every holiday, with the entry naming it
  std::vector<DayMark> makeup_;
};

Span Loader::span_at(const YAML::Mark& mark, std::size_t width) const {
  const std::size_t size = src_.text().size();
  const std::size_t begin = mark.is_null() || mark.pos < 0 ? 0 : std::min(static_cast<std::size_t>(mark.pos), size);
  return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(std::min(begin + width, size))};
}

Span Loader::span_of(const YAML::Node& node, const YAML::Node* fallback) const {
  // A missing or empty value has no text of its own: point at its key instead.
  if (!node.IsDefined() || node.IsNull() || node.Mark().is_null()) {
    if (fallback) return span_of(*fallback);
    return span_at(YAML::Mark(), 1);
  }
  const YAML::Mark mark = node.Mark();
  const std::string& text = src_.text();
  const std::size_t begin = std::min(static_cast<std::size_t>(mark.pos), text.size());
  if (!node.IsScalar() || begin >= text.size()) return span_at(mark, 1);
  std::size_t end = begin;
  if (text[begin] == '"' || text[begin] == '\'') {
    end = text.find_first_of(std::string(1, text[begin]) + "\n", begin + 1);
    end = end == std::string::npos ? text.size() : end + (text[end] == '\n' ? 0 : 1);
  } else if (text.compare(begin, node.Scalar().size(), node.Scalar()) == 0) {
    end = begin + node.Scalar().size();  // a plain scalar on one line reads as its value
  } else {
    end = text.find_first_of(",]}#\r\n", begin);
    if (end == std::string::npos) end = text.size();
    while (end > begin + 1 && text[end - 1] == ' ') --end;
  }
  return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(std::max(end, begin + 1))};
}

// Records each top-level key once. yaml-cpp keeps a repeated key silently (and `node[key]` finds
// only the first), so a second `holidays:` block would be lost without a word: that is C0012.
bool Loader::collect_keys(const YAML::Node& root) {
  std::vector<std::string_view> known(kKeys.begin(), kKeys.end());
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      error(Code::C0004, key, "a calendar key must be a plain name");
      continue;
    }
    const std::string name = key.Scalar();
    if (std::find(kKeys.begin(), kKeys.end(), name) == kKeys.end()) {
      Diagnostic& d = error(Code::C0002, key, "unknown key `" + name + "` in calendar");
      if (auto near = closest_name(name, known)) d.hint = "did you mean `" + *near + "`?";
      else d.hint = "the keys are name, time_zone, working_hours, weekend, holidays, makeup_workdays and range";
      continue;
    }
    if (auto seen = keys_.find(name); seen != keys_.end()) {
      Diagnostic& d = error(Code::C0012, key, "`" + name + "` is given twice");
      d.notes.push_back({span_of(seen->second.first), "first given here"});
      d.hint = "merge the two lists into one";
      continue;
    }
    keys_.emplace(name, std::pair{key, it->second});
  }
  bool complete = true;
  for (std::string_view required : {"time_zone", "working_hours", "range"}) {
    if (keys_.contains(required)) continue;
    Diagnostic& d = diags_.report(Code::C0003, span_at(YAML::Mark(), 1), "the calendar has no `" + std::string(required) + "`");
    if (required == "time_zone") d.hint = "add e.g. `time_zone: Asia/Shanghai`";
    else if (required == "working_hours") d.hint = "add e.g. `working_hours: [\"09:00-12:00\", \"13:30-18:00\"]`";
    else d.hint = "add e.g. `range: {from: 2025-01-01, to: 2025-12-31}`";
    complete = false;
  }
  return complete;
}

std::optional<std::string> Loader::text(const YAML::Node& node, const YAML::Node* key, std::string_view what) {
  if (node.IsScalar() && !node.Scalar().empty()) return node.Scalar();
  error(Code::C0004, node, "expected " + std::string(what), key);
  return std::nullopt;
}

std::optional<std::vector<YAML::Node>> Loader::list(const YAML::Node& node, const YAML::Node* key, std::string_view what) {
  if (node.IsNull()) return std::vector<YAML::Node>{};  // `holidays:` with nothing is an empty list
  if (!node.IsSequence()) {
    error(Code::C0004, node, "expected a list of " + std::string(what), key);
    return std::nullopt;
  }
  return std::vector<YAML::Node>(node.begin(), node.end());
}

std::optional<Day> Loader::date(const YAML::Node& node) {
  if (!node.IsScalar()) {
    error(Code::C0004, node, "expected a date (YYYY-MM-DD)");
    return std::nullopt;
  }
  const std::string& s = node.Scalar();
  if (auto d = text::parse_date(s)) return d;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-')
    error(Code::C0006, node, "there is no day " + s);
  else
    error(Code::C0006, node, "`" + s + "` is not a date").hint = "write dates as YYYY-MM-DD, e.g. 2025-10-01";
  return std::nullopt;
}

std::optional<HourSpan> Loader::hours(const YAML::Node& node) {
  const std::optional<std::string> s = text(node, nullptr, "a span of working hours such as \"09:00-12:00\"");
  if (!s) return std::nullopt;
  // HH:MM-HH:MM, two digits each; 24:00 may end a span (work up to midnight).
  auto clock = [&](std::size_t at) {
    if ((*s)[at + 2] != ':') return -1;
    for (std::size_t i : {at, at + 1, at + 3, at + 4})
      if ((*s)[i] < '0' || (*s)[i] > '9') return -1;
    const int h = ((*s)[at] - '0') * 10 + ((*s)[at + 1] - '0'), m = ((*s)[at + 3] - '0') * 10 + ((*s)[at + 4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
    return h * 60 + m;
  };
  const int begin = s->size() == 11 && (*s)[5] == '-' ? clock(0) : -1;
  const int end = begin >= 0 ? clock(6) : -1;
  if (begin < 0 || end < 0 || begin == 24 * 60) {
    error(Code::C0007, node, "`" + *s + "` is not a span of working hours").hint =
        "write HH:MM-HH:MM in 24-hour local time, e.g. \"09:00-12:00\"";
    return std::nullopt;
  }
  if (end <= begin) {
    error(Code::C0007, node, "`" + *s + "` ends before it begins").hint =
        "a span must lie within one day; split night work at 24:00";
    return std::nullopt;
  }
  return HourSpan{begin, end, node};
}

void Loader::read_time_zone(const Entry& entry) {
  const auto& [key, node] = entry;
  zone_node_ = node;
  const std::optional<std::string> id = text(node, &key, "a time zone id such as Asia/Shanghai");
  if (!id) return;
  // ICU answers Etc/Unknown for an id it does not know; only then is the id wrong.
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(*id)));
  if (!zone || *zone == icu::TimeZone::getUnknown()) {
    Diagnostic& d = error(Code::C0005, node, "ICU knows no time zone `" + *id + "`");
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::StringEnumeration> ids(icu::TimeZone::createEnumeration(status));
    std::vector<std::string> names;
    for (const char* name; U_SUCCESS(status) && ids && (name = ids->next(nullptr, status)) != nullptr;) names.push_back(name);
    const std::vector<std::string_view> views(names.begin(), names.end());
    if (auto near = closest_name(*id, views)) d.hint = "did you mean `" + *near + "`?";
    else d.hint = "use an IANA id such as Asia/Shanghai or Europe/Berlin";
    return;
  }
  zone_ = std::move(zone);
  zone_id_ = *id;
}

void Loader::read_working_hours(const Entry& entry) {
  const auto& [key, node] = entry;
  hours_node_ = node;
  const auto items = list(node, &key, "spans such as \"09:00-12:00\"");
  if (!items) return;
  if (items->empty()) {
    error(Code::C0007, node, "no working hours are given", &key).hint = "list at least one span, e.g. [\"09:00-18:00\"]";
    return;
  }
  for (const YAML::Node& item : *items)
    if (auto h = hours(item)) hours_.push_back(*h);
  // Touching spans (12:00-13:00, 13:00-18:00) are fine; sharing a minute is not, since the same
  // minute would count twice.
  std::vector<const HourSpan*> sorted;
  for (const HourSpan& h : hours_) sorted.push_back(&h);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->begin_min < b->begin_min; });
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i]->begin_min >= sorted[i - 1]->end_min) continue;
    const bool later_in_file = sorted[i]->node.Mark().pos > sorted[i - 1]->node.Mark().pos;
    const HourSpan& here = later_in_file ? *sorted[i] : *sorted[i - 1];
    const HourSpan& other = later_in_file ? *sorted[i - 1] : *sorted[i];
    Diagnostic& d = error(Code::C0008, here.node, "`" + here.node.Scalar() + "` overlaps `" + other.node.Scalar() + "`");
    d.notes.push_back({span_of(other.node), "the other span"});
    d.hint = "working time would count twice; let one span end where the next begins";
  }
}

void Loader::read_weekend() {
  auto found = keys_.find("weekend");
  if (found == keys_.end()) return;  // the default: Saturday and Sunday
  const auto& [key, node] = found->second;
  const auto items = list(node, &key, "days such as sat, sun");
  if (!items) return;
  weekend_.fill(false);
  const std::vector<std::string_view> names(kWeekdays.begin(), kWeekdays.end());
  for (const YAML::Node& item : *items) {
    const std::optional<std::string> name = text(item, nullptr, "a day of the week (mon, tue, wed, thu, fri, sat, sun)");
    if (!name) continue;
    const auto at = std::find(kWeekdays.begin(), kWeekdays.end(), *name);
    if (at != kWeekdays.end()) {
      weekend_[static_cast<std::size_t>(at - kWeekdays.begin())] = true;
      continue;
    }
    Diagnostic& d = error(Code::C0004, item, "`" + *name + "` is not a day of the week");
    if (auto near = closest_name(*name, names)) d.hint = "did you mean `" + *near + "`?";
    else d.hint = "write mon, tue, wed, thu, fri, sat or sun";
  }
}

void Loader::read_range(const Entry& entry) {
  const auto& [key, node] = entry;
  if (!node.IsMap()) {
    error(Code::C0004, node, "expected `{from: DATE, to: DATE}`", &key);
    return;
  }
  std::optional<YAML::Node> from_node, to_node;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string name = it->first.IsScalar() ? it->first.Scalar() : std::string();
    std::optional<YAML::Node>& slot = name == "from" ? from_node : to_node;
    if (name != "from" && name != "to") {
      error(Code::C0002, it->first, "unknown key `" + name + "` in range").hint = "a range has `from` and `to`";
    } else if (slot) {
      error(Code::C0012, it->first, "`" + name + "` is given twice");
    } else {
      slot = it->second.IsNull() ? it->first : it->second;  // point an empty value at its key
    }
  }
  if (!from_node || !to_node) {
    error(Code::C0003, node, std::string("the range has no `") + (from_node ? "to" : "from") + "`");
    return;
  }
  const YAML::Node from = *from_node, to = *to_node;
  const auto a = date(from), b = date(to);
  if (!a || !b) return;
  for (auto [day, where] : {std::pair{*a, from}, std::pair{*b, to}}) {
    const int y = static_cast<int>(chr::year_month_day(day).year());
    if (y < kFirstYear || y > kLastYear) {
      error(Code::C0006, where, "the range must lie within the years 1971 to 9998");
      return;
    }
  }
  if (*b < *a) {
    error(Code::C0006, to, "the range ends on " + text::format_date(*b) + ", before it begins on " + text::format_date(*a));
    return;
  }
  if ((*b - *a).count() > kMaxRangeYears * 366) {
    error(Code::C0006, to, "the range covers more than 50 years").hint = "load one calendar per span of years";
    return;
  }
  from_ = *a;
  to_ = *b;
  have_range_ = true;
}

void Loader::read_holidays() {
  auto found = keys_.find("holidays");
  if (found == keys_.end()) return;
  const auto& [key, node] = found->second;
  const auto items = list(node, &key, "dates or spans such as \"2025-10-01..2025-10-08\"");
  if (!items) return;
  for (const YAML::Node& item : *items) {
    if (!item.IsScalar()) {
      error(Code::C0004, item, "expected a date or a span such as \"2025-10-01..2025-10-08\"");
      continue;
    }
    // "A..B" is an inclusive span.
    const std::string& s = item.Scalar();
    const std::size_t dots = s.find("..");
    std::optional<Day> a, b;
    if (dots == std::string::npos) {
      a = b = date(item);
    } else {
      // Report a bad end at the whole entry: its text has no YAML node of its own.
      auto part = [&](std::string_view t) -> std::optional<Day> {
        if (auto d = text::parse_date(t)) return d;
        error(Code::C0006, item, "`" + std::string(t) + "` in `" + s + "` is not a date").hint =
            "write spans as YYYY-MM-DD..YYYY-MM-DD";
        return std::nullopt;
      };
      a = part(std::string_view(s).substr(0, dots));
      b = a ? part(std::string_view(s).substr(dots + 2)) : std::nullopt;
      if (a && b && *b < *a) {
        error(Code::C0006, item, "the span `" + s + "` ends before it begins");
        continue;
      }
    }
    if (!a || !b) continue;
    if (have_range_ && (!in_range(*a) || !in_range(*b))) {
      error(Code::C0010, item, "holiday `" + s + "` is outside the range " + text::format_date(from_) + ".." + text::format_date(to_))
          .hint = "widen `range`, or drop the holiday";
      continue;
    }
    for (Day d = *a; d <= *b; d += chr::days(1)) holidays_.try_emplace(d, item);
  }
}

void Loader::read_makeup() {
  auto found = keys_.find("makeup_workdays");
  if (found == keys_.end()) return;
  const auto& [key, node] = found->second;
  const auto items = list(node, &key, "dates");
  if (!items) return;
  for (const YAML::Node& item : *items) {
    const std::optional<Day> d = date(item);
    if (!d) continue;
    const unsigned wd = chr::weekday(*d).c_encoding();
    if (!weekend_[wd]) {
      error(Code::C0009, item, text::format_date(*d) + " is a " + std::string(kWeekdayNames[wd]) + ", not a weekend day").hint =
          "a make-up day (调休) is a weekend day worked in exchange for a holiday; weekdays already work";
      continue;
    }
    if (have_range_ && !in_range(*d)) {
      error(Code::C0010, item, "make-up day " + text::format_date(*d) + " is outside the range " + text::format_date(from_) + ".." +
                                   text::format_date(to_)).hint = "widen `range`, or drop the day";
      continue;
    }
    if (auto h = holidays_.find(*d); h != holidays_.end()) {
      Diagnostic& diag = error(Code::C0011, item, text::format_date(*d) + " is listed as a holiday and as a make-up working day");
      diag.notes.push_back({span_of(h->second), "the holiday entry"});
      continue;
    }
    makeup_.push_back({*d, item});
  }
}

std::optional<BusinessCalendar> Loader::build() {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(*zone_, status);
  if (U_FAILURE(status)) return std::nullopt;
  // Local wall time to UTC. A wall time that a DST change skips or repeats is resolved by ICU's
  // default (a skipped time is read with the offset before the change, so 02:30 is 03:30; a
  // repeated one is its later occurrence). That only matters for working hours that start or end
  // inside the change itself, at night.
  auto local = [&](Day d, int minutes) -> std::int64_t {
    const chr::year_month_day ymd(d);
    cal.clear();
    cal.set(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())) - 1,
            static_cast<int>(static_cast<unsigned>(ymd.day())), minutes / 60, minutes % 60, 0);
    return std::llround(cal.getTime(status));
  };
  std::vector<char> makeup(static_cast<std::size_t>((to_ - from_).count() + 1), 0);
  for (const DayMark& m : makeup_) makeup[static_cast<std::size_t>((m.day - from_).count())] = 1;
  // Sorted minutes only: sorting HourSpans would assign YAML::Nodes, which rebinds them in the tree.
  std::vector<std::pair<int, int>> spans;
  for (const HourSpan& h : hours_) spans.emplace_back(h.begin_min, h.end_min);
  std::sort(spans.begin(), spans.end());

  CalendarTable t;
  t.time_zone = zone_id_;
  t.range_begin_ms = local(from_, 0);
  t.range_end_ms = local(to_ + chr::days(1), 0);
  for (Day d = from_; d <= to_; d += chr::days(1)) {
    const bool working = makeup[static_cast<std::size_t>((d - from_).count())] ||
                         (!weekend_[chr::weekday(d).c_encoding()] && !holidays_.contains(d));
    if (!working) continue;
    const auto first = static_cast<std::uint32_t>(t.intervals.size());
    for (const auto& [begin_min, end_min] : spans) {
      // 24:00 is the next day's midnight, which ICU computes in the next day's offset.
      const std::int64_t b = local(d, begin_min);
      const std::int64_t e = end_min == 24 * 60 ? local(d + chr::days(1), 0) : local(d, end_min);
      if (b < e) t.intervals.push_back({b, e});
    }
    if (t.intervals.size() > first) t.day_starts.push_back(first);
  }
  // Past the last day only the weekly pattern is known: the same hours, on the weekdays that
  // are not weekend days, in the zone's offsets as ICU knows them.
  if (std::vector<OffsetChange> offsets = offsets_from(*zone_, t.range_end_ms, status); !offsets.empty()) {
    CalendarEdges& e = t.edges.emplace();
    e.first_day = static_cast<std::int32_t>(from_.time_since_epoch().count());
    e.last_day = static_cast<std::int32_t>(to_.time_since_epoch().count());
    for (unsigned d = 0; d < 7; ++d)
      if (!weekend_[d]) e.weekdays |= static_cast<std::uint8_t>(1u << d);
    for (const auto& [begin_min, end_min] : spans)
      e.hours.push_back({static_cast<std::uint16_t>(begin_min), static_cast<std::uint16_t>(end_min)});
    e.offsets = std::move(offsets);
  }
  if (U_FAILURE(status)) {
    error(Code::C0005, zone_node_, std::string("ICU could not convert local times: ") + u_errorName(status));
    return std::nullopt;
  }
  CalendarLoad loaded = BusinessCalendar::from_table(std::move(t));
  if (!loaded.calendar)  // only a zone whose offsets jump inside the working hours can get here
    error(Code::C0007, hours_node_, "the working hours give no valid table in " + zone_id_ + ": " + loaded.error);
  return std::move(loaded.calendar);
}

std::optional<BusinessCalendar> Loader::run() {
  if (auto bad = src_.invalid_utf8()) {
    diags_.report(Code::C0001, {*bad, *bad + 1}, "calendar is not valid UTF-8");
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(src_.text());
  } catch (const YAML::Exception& e) {
    diags_.report(Code::C0001, span_at(e.mark, 1), "calendar is not valid YAML: " + e.msg);
    return std::nullopt;
  }
  if (!root.IsDefined() || root.IsNull()) {
    diags_.report(Code::C0003, span_at(YAML::Mark(), 1), "the calendar is empty").hint =
        "a calendar needs at least time_zone, working_hours and range";
    return std::nullopt;
  }
  if (!root.IsMap()) {
    error(Code::C0004, root, "a calendar is a map of keys (time_zone, working_hours, range, ...)");
    return std::nullopt;
  }
  const std::size_t before = diags_.error_count();
  const bool complete = collect_keys(root);
  if (auto it = keys_.find("name"); it != keys_.end()) text(it->second.second, &it->second.first, "a name");
  if (auto it = keys_.find("time_zone"); it != keys_.end()) read_time_zone(it->second);
  if (auto it = keys_.find("working_hours"); it != keys_.end()) read_working_hours(it->second);
  read_weekend();
  if (auto it = keys_.find("range"); it != keys_.end()) read_range(it->second);
  read_holidays();
  read_makeup();
  diags_.sort_by_position();
  if (!complete || diags_.error_count() > before) return std::nullopt;
  return build();
}

}  // namespace

std::optional<BusinessCalendar> load_calendar(const SourceFile& source, Diagnostics& diags) {
  try {
    return Loader(source, diags).run();
  } catch (const std::exception& e) {  // yaml-cpp's conversions throw; nothing may escape
    diags.report(Code::C0001, {0, 0}, std::string("calendar could not be read: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace callscript
