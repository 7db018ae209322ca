// What a prompt may say: private data (E0434), promised time limits (E0437), a revisit's
// promises (E0438). Each is a fact walk over the program, one per fact, whatever the number of
// prompts, so the cost grows with the program, not with its square.
#include "prove/checks.h"

#include "sema/promise_text.h"

#include <algorithm>
#include <limits>
#include <map>

namespace callscript::prove {

namespace {

using bc::Op;

bool is_identity(const bc::Image& im, std::uint32_t slot) { return slot < im.slots.size() && (im.slots[slot].flags & bc::kSlotIdentity); }

// The bool a Store stores, when the instruction before it pushes a constant; anything computed
// counts as unknown, and unknown is not verified.
std::optional<bool> stored_constant(const Instr* before) {
  if (before && before->op == Op::PushBool) return before->operand != 0;
  return std::nullopt;
}

// Whether a guard block is false whenever every identity slot is false: then passing it proves
// the caller verified. Three-valued evaluation: identity slots false, other values unknown.
bool guard_needs_identity(const bc::Image& im, std::uint32_t guard) {
  enum V : std::uint8_t { False, True, Unknown };
  std::vector<V> stack;
  bool broken = false;
  each_instr(im, guard, [&](const Instr& in, const Instr*) {
    const auto pop = [&] {
      if (stack.empty()) return broken = true, Unknown;
      const V v = stack.back();
      stack.pop_back();
      return v;
    };
    switch (in.op) {
      case Op::PushBool: stack.push_back(in.operand ? True : False); break;
      case Op::Load: stack.push_back(is_identity(im, in.operand) ? False : Unknown); break;
      case Op::Not: {
        const V v = pop();
        stack.push_back(v == Unknown ? Unknown : v == True ? False : True);
        break;
      }
      case Op::And: {
        const V b = pop(), a = pop();
        stack.push_back(a == False || b == False ? False : a == True && b == True ? True : Unknown);
        break;
      }
      case Op::Or: {
        const V b = pop(), a = pop();
        stack.push_back(a == True || b == True ? True : a == False && b == False ? False : Unknown);
        break;
      }
      case Op::Eq:
      case Op::Ne: {
        const V b = pop(), a = pop();
        if (a == Unknown || b == Unknown) stack.push_back(Unknown);
        else stack.push_back((a == b) == (in.op == Op::Eq) ? True : False);
        break;
      }
      default: {
        const auto& info = bc::kOpInfo[static_cast<std::size_t>(in.op)];
        for (int k = 0; k < info.pops; ++k) pop();
        for (int k = 0; k < info.pushes; ++k) stack.push_back(Unknown);
      }
    }
  });
  return !broken && stack.size() == 1 && stack.back() == False;
}

// The promise's limit as a script writes a duration: `30m`, `24h`, `2 workdays`, `4 workhours`.
std::string duration_text(const sema::PromisedTime& p) {
  switch (p.unit) {
    case sema::PromisedTime::Unit::WorkDays: return std::to_string(p.amount) + (p.amount == 1 ? " workday" : " workdays");
    case sema::PromisedTime::Unit::WorkHours: return std::to_string(p.amount) + (p.amount == 1 ? " workhour" : " workhours");
    case sema::PromisedTime::Unit::Wall: break;
  }
  for (const auto& [ms, unit] : {std::pair{86'400'000LL, "d"}, {3'600'000LL, "h"}, {60'000LL, "m"}, {1000LL, "s"}})
    if (p.amount % ms == 0) return std::to_string(p.amount / ms) + unit;
  return std::to_string(p.amount) + "ms";
}

class Commitments {
 public:
  Commitments(const Graph& g, Reporter& r, const Options& o) : graph_(g), im_(g.image()), report_(r), options_(o) {}

  void run() {
    check_private_data();
    check_promises();
    if (im_.script_kind & bc::kScriptRevisit) check_revisit();
  }

 private:
  // --- E0434 ---------------------------------------------------------------------------------

  // Whether the caller gave `slot` in this call, and nothing changed it since, on every path to
  // the say: read back to confirm it (您的联系电话是{phone}), it discloses nothing. A slot the
  // host may fill never counts: the host can replace the caller's value at any moment.
  bool given_by_caller(std::uint32_t slot, std::uint32_t say) {
    if (im_.slots[slot].flags & bc::kSlotHost) return false;
    auto [it, fresh] = given_.try_emplace(slot);
    if (fresh) {
      FactWalk::Rule rule;
      rule.effect = [slot](const Instr& in, const Instr*) -> std::optional<bool> {
        if (in.op == Op::Store && in.operand == slot) return false;  // a copy is not the caller's word
        return std::nullopt;
      };
      rule.edge = [this, slot](const bc::Transition& t, std::uint32_t from) -> std::optional<bool> {
        if (t.trigger != bc::Trigger::Filled) return std::nullopt;
        const bc::State& st = im_.states[from];
        for (std::uint32_t k = 0; k < st.ask_count; ++k)
          if (im_.ask_slots[st.ask_first + k] == slot) return true;
        return std::nullopt;
      };
      for (const auto& u : FactWalk(graph_, rule).run()) it->second.push_back(u.say);
      std::sort(it->second.begin(), it->second.end());
    }
    return !std::binary_search(it->second.begin(), it->second.end(), say);
  }

  void check_private_data() {
    bool initial = false, any_identity = false;
    for (std::uint32_t i = 0; i < im_.slots.size(); ++i)
      if (is_identity(im_, i)) {
        any_identity = true;
        initial = initial || im_.slots[i].init_int != 0;
      }
    // The caller cannot verify themselves: an identity slot is set where the check succeeds.
    for (std::uint32_t s = 0; s < im_.states.size(); ++s)
      for (std::uint32_t k = 0; k < im_.states[s].ask_count; ++k)
        if (const std::uint32_t slot = im_.ask_slots[im_.states[s].ask_first + k]; is_identity(im_, slot)) {
          auto& d = report_.diags().report(Code::E0434, report_.state_span(s).value_or(Span{}),
                                           report_.state(s) + " asks the caller for `" + std::string(im_.str(im_.slots[slot].name)) +
                                               "`, which records that their identity is verified");
          d.hint = "ask for what identifies the caller (an ID's last digits, a phone number) and `set " +
                   std::string(im_.str(im_.slots[slot].name)) + " = true` where it matches";
        }
    FactWalk::Rule rule;
    rule.initial = initial;
    rule.effect = [this](const Instr& in, const Instr* before) -> std::optional<bool> {
      if (in.op != Op::Store || !is_identity(im_, in.operand)) return std::nullopt;
      return stored_constant(before).value_or(false);
    };
    rule.proves = [this](std::uint32_t guard) { return guard_needs_identity(im_, guard); };
    // The private slots each prompt reads, that the caller did not just give, once per prompt.
    std::map<std::uint32_t, std::vector<std::uint32_t>> reads;
    const auto disclosed = [&](std::uint32_t say) -> const std::vector<std::uint32_t>& {
      auto [it, fresh] = reads.try_emplace(say);
      if (fresh)
        for (std::uint32_t slot : graph_.slots_read(report_.prompt_of(say)))
          if ((im_.slots[slot].flags & bc::kSlotPii) && !given_by_caller(slot, say)) it->second.push_back(slot);
      return it->second;
    };
    for (const FactWalk::Unsure& u : FactWalk(graph_, rule).run([&](std::uint32_t say) { return !disclosed(say).empty(); })) {
      const std::uint32_t prompt = report_.prompt_of(u.say);
      const std::string_view text = im_.str(im_.prompts[prompt].text);
      for (std::uint32_t slot : disclosed(u.say)) {
        const std::string name(im_.str(im_.slots[slot].name));
        // `{phone}` or `{phone, ...}`, not the start of `{phone_ext}`.
        std::size_t at = std::string_view::npos;
        for (std::size_t k = text.find("{" + name); k != std::string_view::npos; k = text.find("{" + name, k + 1)) {
          const std::size_t after = k + 1 + name.size();
          if (after < text.size() && (text[after] == '}' || text[after] == ',' || text[after] == ' ')) {
            at = k;
            break;
          }
        }
        auto& d = report_.words(Code::E0434, u.say, at == std::string_view::npos ? 0 : static_cast<std::uint32_t>(at),
                                static_cast<std::uint32_t>(name.size() + 2),
                                "`" + name + "` is private data, said here before the caller's identity is verified");
        report_.path(d, u.path, "the caller not verified");
        d.hint = any_identity ? "verify first on every path here: `set verified = true` where the identity is confirmed, or come in through `when verified`"
                              : "mark the bool slot that records a successful verification, `slot verified: bool identity = false`, and set it where the identity is confirmed";
      }
    }
  }

  // --- E0437 ---------------------------------------------------------------------------------

  // Whether `sla`, armed when the promise is made, fires by 80 % of the promised limit (客服电话
  // 礼仪与技巧: 承诺解决时限需预留20%缓冲时间): a `promise` SLA of D fires at 0.8 D, so D must be
  // within the limit; a plain one must itself be within 0.8 of it. Business and wall time are
  // not compared.
  static bool keeps(const bc::Sla& sla, const sema::PromisedTime& p) {
    // A verified program's amounts can be anything up to 2^63: products saturate, never wrap.
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    const auto times = [](std::int64_t a, std::int64_t b) {
      std::int64_t r;
      return __builtin_mul_overflow(a, b, &r) ? kMax : r;
    };
    std::int64_t have = sla.amount, limit = p.amount;  // in the promise's unit
    switch (p.unit) {
      case sema::PromisedTime::Unit::Wall:
        if (sla.unit != bc::DurationUnit::Wall) return false;
        break;
      case sema::PromisedTime::Unit::WorkDays:
        if (sla.unit != bc::DurationUnit::WorkDays) return false;
        break;
      case sema::PromisedTime::Unit::WorkHours:
        if (sla.unit != bc::DurationUnit::WorkTime) return false;
        limit = times(limit, 3'600'000);
        break;
    }
    if (sla.promise) return have <= limit;
    // have <= 0.8 limit, without multiplying `have` up: floor(0.8 limit) by parts.
    return have <= limit / 5 * 4 + limit % 5 * 4 / 5;
  }

  // The Says that may run while `sla` is not armed, sorted.
  const std::vector<std::uint32_t>& unarmed(std::uint32_t sla) {
    auto [it, fresh] = armed_.try_emplace(sla);
    if (fresh) {
      FactWalk::Rule rule;
      rule.effect = [sla](const Instr& in, const Instr*) -> std::optional<bool> {
        if (in.operand != sla) return std::nullopt;
        if (in.op == Op::SlaStart) return true;
        if (in.op == Op::SlaStop) return false;
        return std::nullopt;
      };
      // Its breach disarms it: past its deadline it keeps no promise.
      const std::uint32_t breach = im_.slas[sla].breach;
      rule.edge = [this, breach](const bc::Transition& t, std::uint32_t) -> std::optional<bool> {
        if (graph_.index(t) == breach) return false;
        return std::nullopt;
      };
      rules_[sla] = rule;
      for (const auto& u : FactWalk(graph_, rule).run()) it->second.push_back(u.say);
      std::sort(it->second.begin(), it->second.end());
    }
    return it->second;
  }

  // The path to each of `says` on which `sla` is not armed: the walk again, keeping those paths.
  std::map<std::uint32_t, std::vector<FactWalk::Step>> unarmed_paths(std::uint32_t sla, const std::vector<std::uint32_t>& says) {
    std::map<std::uint32_t, std::vector<FactWalk::Step>> paths;
    const auto wanted = [&](std::uint32_t say) { return std::binary_search(says.begin(), says.end(), say); };
    for (auto& u : FactWalk(graph_, rules_.at(sla)).run(wanted))
      if (wanted(u.say)) paths[u.say] = std::move(u.path);
    return paths;
  }

  // Every Say of the program, with the block it is in (its offset), once.
  template <class F>
  void each_say(F&& f) const {
    std::vector<bool> seen(im_.code.size(), false);
    const auto block = [&](std::uint32_t offset) {
      if (offset == bc::kNone || seen[offset]) return;
      seen[offset] = true;
      each_instr(im_, offset, [&](const Instr& in, const Instr*) {
        if (in.op == Op::Say) f(in.at, offset);
      });
    };
    for (const bc::State& st : im_.states) block(st.entry);
    for (const bc::Transition& t : im_.transitions) block(t.action);
  }

  // Whether the block at `offset` starts `sla` after the Say at `say`: the same instant.
  bool started_after(std::uint32_t offset, std::uint32_t say, std::uint32_t sla) const {
    bool found = false;
    each_instr(im_, offset, [&](const Instr& in, const Instr*) {
      if (in.at > say && in.op == Op::SlaStart && in.operand == sla) found = true;
    });
    return found;
  }

  void check_promises() {
    each_say([&](std::uint32_t say, std::uint32_t offset) {
      const std::string_view text = report_.prompt_text(say);
      for (const sema::PromisedTime& promise : sema::find_promised_times(text)) check_promise(say, offset, text, promise);
    });
    // The paths of the findings, one more walk per SLA they name.
    std::map<std::uint32_t, std::vector<std::uint32_t>> says;
    for (const Unkept& u : unkept_) says[u.sla].push_back(u.say);
    std::map<std::uint32_t, std::map<std::uint32_t, std::vector<FactWalk::Step>>> paths;
    for (auto& [sla, list] : says) {
      std::sort(list.begin(), list.end());
      paths[sla] = unarmed_paths(sla, list);
    }
    for (const Unkept& u : unkept_) {
      const std::string name(im_.str(im_.slas[u.sla].name));
      auto& d = report_.words(Code::E0437, u.say, u.promise.offset, u.promise.length,
                              "promises \"" + u.words + "\", but `" + name + "` is not started on every path to here");
      report_.path(d, paths[u.sla][u.say], "`" + name + "` not armed");
      d.hint = "`start " + name + "` before the promise is said, on every path to it";
    }
  }

  void check_promise(std::uint32_t say, std::uint32_t offset, std::string_view text, const sema::PromisedTime& promise) {
    const std::string words(text.substr(promise.offset, promise.length));
    std::vector<std::uint32_t> fitting;
    for (std::uint32_t k = 0; k < im_.slas.size(); ++k)
      if (keeps(im_.slas[k], promise)) fitting.push_back(k);
    if (fitting.empty()) {
      auto& d = report_.words(Code::E0437, say, promise.offset, promise.length,
                              "promises \"" + words + "\", and no SLA of the script would fire in time to keep it");
      for (const bc::Sla& sla : im_.slas)
        d.notes.push_back({std::nullopt, "`" + std::string(im_.str(sla.name)) + "` does not: it fires later, or counts another kind of time"});
      d.hint = "back the promise with an SLA (客服电话礼仪与技巧: 承诺解决时限需预留20%缓冲时间): `sla NAME: " + duration_text(promise) +
               " promise { ... }`, started where the promise is made";
      return;
    }
    // The SLA to name if none is armed: a `promise` one, which is what the promise wants.
    std::stable_partition(fitting.begin(), fitting.end(), [&](std::uint32_t k) { return im_.slas[k].promise != 0; });
    for (std::uint32_t k : fitting) {
      if (started_after(offset, say, k)) return;  // started in the same step, after the words
      const auto& open = unarmed(k);
      if (!std::binary_search(open.begin(), open.end(), say)) return;  // armed on every path here
    }
    unkept_.push_back({fitting.front(), say, promise, words});
  }

  // --- E0438 ---------------------------------------------------------------------------------

  void check_revisit() {
    const bool builtin = options_.revisit_promise_words.empty() && options_.revisit_promise_near_misses.empty();
    const auto words = builtin ? sema::default_revisit_promise_words() : options_.revisit_promise_words;
    const auto near_misses = builtin ? sema::default_revisit_promise_near_misses() : options_.revisit_promise_near_misses;
    each_say([&](std::uint32_t say, std::uint32_t) {
      const std::string_view text = report_.prompt_text(say);
      std::vector<std::pair<std::uint32_t, std::uint32_t>> found;
      for (const auto& time : sema::find_promised_times(text)) found.push_back({time.offset, time.length});
      for (const auto& w : sema::find_promise_words(text, words, near_misses))
        found.push_back({w.offset, w.length});
      std::sort(found.begin(), found.end());
      for (const auto& [from, length] : found)
        report_.words(Code::E0438, say, from, length,
                      "\"" + std::string(text.substr(from, length)) + "\" promises the customer a time or a result, in a revisit")
            .hint = "an outbound revisit (a script with a campaign) promises nothing (呼出操作手册规范篇: 禁止承诺客户); say what was recorded instead";
    });
  }

  const Graph& graph_;
  const bc::Image& im_;
  Reporter& report_;
  const Options& options_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> armed_;
  std::map<std::uint32_t, FactWalk::Rule> rules_;  // per SLA walked: its rule, to walk again for paths
  // A promise no armed SLA keeps, whose path is added once the walks are done.
  struct Unkept {
    std::uint32_t sla, say;
    sema::PromisedTime promise;
    std::string words;
  };
  std::vector<Unkept> unkept_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> given_;  // per slot: Says it may not be given before
};

}  // namespace

void check_commitments(const Graph& graph, Reporter& report, const Options& options) { Commitments(graph, report, options).run(); }

}  // namespace callscript::prove
