// The linter's configuration: the house manuals' lists as defaults, and callscript.yaml over them.
//
// Why every unknown key is an error rather than ignored: a misspelt `turning-wrod: off` would
// otherwise leave the rule on and the author puzzled, and a misspelt `remove:` entry would keep a
// phrase the author meant to drop. grammar/LINT.md documents the format.
#include "lint/lint.h"

#include "diag/yaml_position.h"
#include "lint/prompt_text.h"
#include "sema/promise_text.h"
#include "text/text.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <span>

namespace callscript::lint {

namespace fs = std::filesystem;

RuleSetting Config::setting(std::size_t index, std::string_view channel) const {
  if (const auto c = channels.find(std::string(channel)); c != channels.end())
    if (const auto r = c->second.find(index); r != c->second.end()) return r->second;
  return rules[index];
}

Config default_config() {
  Config c;
  for (std::size_t i = 0; i < kRules.size(); ++i) c.rules[i] = {true, default_severity(kRules[i].code)};
  // The 服务忌语 and 禁用语 of 呼出操作手册规范篇 and the negative words of
  // 客户服务标准用语与响应时间规范指南, as they are written there (a leading ^:
  // only where a sentence starts, as a greeting). 我不知道 and 我没办法 are listed apart so that
  // their fix replaces the 我 too.
  c.forbidden.words = {
      "^喂", "^嘿", "你问我，我问谁", "不知道", "我不知道", "我也不知道", "不清楚", "没办法", "我没办法", "我也没办法",
      "这是规定", "这是公司的规定", "有意见找领导去", "要告就告去", "你怎么这么啰嗦", "你真罗嗦", "你烦不烦",
      "刚才不是说过了吗", "刚才不是告诉你了吗", "我要下班了", "这事不归我管", "这事与我无关", "这与我无关",
      "这不关我的事", "听不清，重讲", "听不见，再讲一次", "你到底要说什么", "你到底在说什么", "你到底想怎么样",
      "打错了", "大声点", "你快点讲", "慢慢讲，急什么", "有本事就投诉我", "你怎么不早说", "有没有搞错", "你知不知道",
      "我没有空", "你明天再打来", "你自己去看", "你着急什么", "我正忙着呢", "你说得不对", "你怎么这样烦", "你听我说",
      "不会用就别用", "用不起就别用", "我让你买了吗", "你有什么了不起", "都说过好几遍了", "你先搞搞清楚",
      "要我说多少遍", "我已经讲过了", "你快说啊", "这个事你别找我", "你不要讲", "就这样吧", "不能办就是不能办",
      "你找他们去", "你要投诉就投诉", "我都忙死了", "这又不是我的错", "我是新手", "我是新员工", "您听我解释",
      "您等我说完", "您怎么听不明白", "您这人怎么这样", "晓得了", "不是我们的问题"};
  c.forbidden.allow = {"喂养", "喂食", "喂奶", "不清楚的地方"};
  for (const char* phrase : {"不知道", "我不知道", "我也不知道"}) c.fixes[phrase] = "我为您查询一下";
  for (const char* phrase : {"没办法", "我没办法", "我也没办法"}) c.fixes[phrase] = "我们会尽力帮您解决";
  c.informal = {{"你", "你们"}, {"迷你"}};
  c.turning = {{"但是", "不过"}, {"不过期", "不过时", "不过分", "不过问", "不过敏", "不过半"}};
  c.vague = {{"大概", "可能", "估计", "预计", "差不多"}, {"不可能", "评估"}};
  // Terms the house manuals use among staff (CRM and API in 客服电话礼仪与技巧, FAQ in
  // 客户服务电话应对策略模板, 座席, 示忙, 退保预警 in 呼出操作手册规范篇); 工单 and 工号 are not
  // here: the standard phrases of 客户服务电话应对策略模板 and 客户服务标准用语与响应时间规范指南
  // say them to the customer.
  c.jargon = {{"SLA", "IVR", "CRM", "API", "FAQ", "座席", "示忙", "示闲", "话术", "退保预警"}, {}};
  c.explain_markers = {"也就是", "也即", "是指", "指的是", "意思是", "就是说"};
  const auto promise_words = sema::default_revisit_promise_words();
  const auto near_misses = sema::default_revisit_promise_near_misses();
  c.promise_words = {{promise_words.begin(), promise_words.end()}, {near_misses.begin(), near_misses.end()}};
  // 客户服务标准用语与响应时间规范指南 asks online replies not to shout
  // (在线客服需避免使用全大写字母或感叹号); its own e-mail acknowledgement has a ！, so email is
  // not among them by default.
  c.online_channels = {"online", "chat"};
  c.acronyms = {"APP", "ID", "VIP", "FAQ", "SMS", "PIN", "OK", "SLA", "IVR", "CRM", "API"};
  c.budgets = {{"greet", 30}};
  return c;
}

std::optional<fs::path> find_config(const fs::path& script) {
  std::error_code ec;
  fs::path dir = fs::absolute(script, ec).parent_path();
  if (ec) return std::nullopt;
  for (;;) {
    const fs::path candidate = dir / "callscript.yaml";
    if (fs::is_regular_file(candidate, ec)) {
      const fs::path shown = fs::proximate(candidate, ec);
      return ec ? candidate : shown;
    }
    if (dir.parent_path() == dir || dir.empty()) return std::nullopt;
    dir = dir.parent_path();
  }
}

namespace {

constexpr std::string_view kTop[] = {"lint"};
constexpr std::string_view kLint[] = {"rules", "channels", "placeholder_length"};
constexpr std::string_view kSeverities = "error, warning, note, on or off";

// The option keys of each rule's mapping, besides `severity`, in kRules order.
const std::vector<std::string_view>& rule_keys(std::size_t rule) {
  static const std::vector<std::string_view> keys[] = {
      {"severity", "add", "remove", "allow"},             // forbidden-phrase
      {"severity", "allow"},                              // informal-you
      {"severity", "add", "remove", "allow"},             // turning-word
      {"severity", "max"},                                // sentence-length
      {"severity", "add", "remove", "allow"},             // vague-word
      {"severity", "channels", "acronyms"},               // online-shouting
      {"severity", "add", "remove", "allow", "markers"},  // jargon
      {"severity", "rate", "budgets"},                    // spoken-length
      {"severity"},                                       // bad-allow
      {"severity"},                                       // unused-allow
      {"severity", "add", "remove", "allow"},             // revisit-promise
  };
  return keys[rule];
}

struct Entry {
  std::string key;
  YAML::Node key_node, value;
};

class Reader {
 public:
  Reader(const SourceFile& src, Diagnostics& diags, Config& config) : src_(src), diags_(diags), cfg_(config) {}

  bool run() {
    if (auto bad = src_.invalid_utf8()) {
      diags_.report(Code::K0001, {*bad, *bad + 1}, "lint configuration is not valid UTF-8");
      return false;
    }
    YAML::Node root;
    try {
      root = YAML::Load(src_.text());
    } catch (const YAML::Exception& e) {
      const std::uint32_t at = e.mark.is_null() ? 0 : yamlpos::offset(src_, e.mark.line, e.mark.column);
      diags_.report(Code::K0001, {at, at + 1}, "lint configuration is not valid YAML: " + e.msg);
      return false;
    }
    if (root.IsNull() || !root.IsDefined()) return true;  // an empty file changes nothing
    if (!map(root, "the configuration")) return false;
    for (const Entry& top : entries(root, kTop, "the configuration")) {
      if (!map(top.value, "`lint`")) continue;
      for (const Entry& e : entries(top.value, kLint, "`lint`")) {
        if (e.key == "rules") rules(e.value, cfg_.rules, true);
        else if (e.key == "channels") channels(e.value);
        else if (auto n = number(e.value, 0, 50, "a number of characters from 0 to 50")) cfg_.placeholder_length = *n;
      }
    }
    return diags_.error_count() == 0;
  }

 private:
  Span span(const YAML::Node& n) const {
    if (!n.IsDefined() || n.Mark().is_null()) return {0, 1};
    const std::uint32_t b = yamlpos::offset(src_, n.Mark().line, n.Mark().column);
    const bool flow = b < src_.text().size() && (src_.text()[b] == '[' || src_.text()[b] == '{');
    if ((n.IsMap() || n.IsSequence()) && !flow) return {b, b + 1};
    return {b, std::max(yamlpos::token_end(src_.text(), b), b + 1)};
  }
  Diagnostic& report(Code c, const YAML::Node& n, std::string message) { return diags_.report(c, span(n), std::move(message)); }

  bool map(const YAML::Node& n, std::string_view what) {
    if (n.IsMap() || n.IsNull()) return true;
    report(Code::K0003, n, text::cat(what, " is a mapping of `key: value` lines, not ", n.IsSequence() ? "a list" : "a single value"));
    return false;
  }

  // The entries of a mapping, in the order written; keys outside `allowed` (when given) are
  // K0002 with a suggestion, and a key given twice is K0006 (yaml-cpp keeps the first silently).
  std::vector<Entry> entries(const YAML::Node& m, std::span<const std::string_view> allowed, std::string_view where) {
    std::vector<Entry> out;
    if (m.IsNull()) return out;
    for (auto it = m.begin(); it != m.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) {
        report(Code::K0003, key, text::cat("a key in ", where, " must be a plain name"));
        continue;
      }
      const std::string name = key.Scalar();
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        Diagnostic& d = report(Code::K0002, key, text::cat("unknown key `", name, "` in ", where));
        const std::vector<std::string_view> names(allowed.begin(), allowed.end());
        std::string all;
        for (std::string_view k : allowed) text::append(all, all.empty() ? "" : ", ", "`", k, "`");
        if (auto near = closest_name(name, names)) d.hint = text::cat("did you mean `", *near, "`?");
        else d.hint = text::cat("the keys of ", where, " are ", all);
        continue;
      }
      if (auto seen = std::find_if(out.begin(), out.end(), [&](const Entry& e) { return e.key == name; }); seen != out.end()) {
        Diagnostic& d = report(Code::K0006, key, text::cat("`", name, "` is given twice in ", where));
        d.notes.push_back({span(seen->key_node), "first given here"});
        d.hint = "merge the two into one";
        continue;
      }
      out.push_back({name, key, it->second});
    }
    return out;
  }

  std::optional<std::size_t> rule(const YAML::Node& key) {
    if (auto index = find_rule(key.Scalar())) return index;
    std::vector<std::string_view> names;
    for (const RuleInfo& r : kRules) names.push_back(r.name);
    Diagnostic& d = report(Code::K0004, key, text::cat("no lint rule is named `", key.Scalar(), "`"));
    if (auto near = closest_name(key.Scalar(), names)) d.hint = text::cat("did you mean `", *near, "`?");
    else d.hint = "name a rule by its name (`turning-word`) or its code (`L0003`); grammar/LINT.md lists them";
    return std::nullopt;
  }

  std::optional<RuleSetting> severity(const YAML::Node& n, RuleSetting current) {
    if (!n.IsScalar()) {
      report(Code::K0003, n, text::cat("a rule's severity is a single word: ", kSeverities));
      return std::nullopt;
    }
    const std::string& v = n.Scalar();
    if (v == "error") return RuleSetting{true, Severity::Error};
    if (v == "warning") return RuleSetting{true, Severity::Warning};
    if (v == "note") return RuleSetting{true, Severity::Note};
    if (v == "on" || v == "true") return RuleSetting{true, current.severity};
    if (v == "off" || v == "false") return RuleSetting{false, current.severity};
    report(Code::K0005, n, text::cat("`", v, "` is not a severity")).hint = text::cat("write ", kSeverities);
    return std::nullopt;
  }

  std::optional<std::uint32_t> number(const YAML::Node& n, std::uint32_t low, std::uint32_t high, std::string_view what) {
    std::uint32_t v = 0;
    if (!n.IsScalar() || !YAML::convert<std::uint32_t>::decode(n, v)) {
      if (n.IsScalar() && n.Scalar().starts_with("-")) report(Code::K0005, n, text::cat("expected ", what));
      else report(Code::K0003, n, text::cat("expected ", what));
      return std::nullopt;
    }
    if (v < low || v > high) {
      report(Code::K0005, n, text::cat(v, " is out of range: expected ", what));
      return std::nullopt;
    }
    return v;
  }

  std::vector<std::pair<std::string, YAML::Node>> strings(const YAML::Node& n, std::string_view what) {
    std::vector<std::pair<std::string, YAML::Node>> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) {
      report(Code::K0003, n, text::cat("expected a list of ", what));
      return out;
    }
    for (const YAML::Node& item : n) {
      if (!item.IsScalar() || item.Scalar().empty()) report(Code::K0003, item, text::cat("expected ", what, ", a non-empty text"));
      else out.emplace_back(item.Scalar(), item);
    }
    return out;
  }

  // `add` extends a list, `remove` drops some of its defaults, `allow` adds near misses.
  void words(const Entry& e, WordList& list) {
    for (const auto& [word, node] : strings(e.value, "words")) {
      const std::string_view bare = std::string_view(word).substr(word.starts_with("^") ? 1 : 0);
      if (text::match_form(bare).empty()) {
        report(Code::K0005, node, text::cat("`", word, "` has no letters left once spaces and punctuation are left out"));
        continue;
      }
      if (e.key == "allow") {
        list.allow.push_back(word);
      } else if (e.key == "add") {
        list.words.push_back(word);
      } else if (auto it = std::find(list.words.begin(), list.words.end(), word); it != list.words.end()) {
        list.words.erase(it);
      } else {
        report(Code::K0005, node, text::cat("`", word, "` is not in the list, so it cannot be removed")).hint =
            "`remove` takes words of the default list (grammar/LINT.md); `add` adds new ones";
      }
    }
  }

  void options(std::size_t index, const Entry& e) {
    const std::string_view name = kRules[index].name;
    if (e.key == "add" || e.key == "remove" || e.key == "allow") {
      WordList* lists[] = {&cfg_.forbidden, &cfg_.informal, &cfg_.turning, nullptr, &cfg_.vague, nullptr, &cfg_.jargon,
                           nullptr, nullptr, nullptr, &cfg_.promise_words};
      words(e, *lists[index]);
    } else if (e.key == "max") {
      if (auto n = number(e.value, 1, 200, "a number of characters from 1 to 200")) cfg_.max_sentence = *n;
    } else if (e.key == "channels") {
      cfg_.online_channels.clear();
      for (auto& [channel, node] : strings(e.value, "channel names")) cfg_.online_channels.push_back(channel);
    } else if (e.key == "acronyms") {
      for (auto& [word, node] : strings(e.value, "acronyms")) cfg_.acronyms.push_back(word);
    } else if (e.key == "markers") {
      for (auto& [word, node] : strings(e.value, "words that explain")) cfg_.explain_markers.push_back(word);
    } else if (e.key == "rate") {
      // 呼出操作手册规范篇 says about 120 characters a minute (每分钟应保持在120个字左右),
      // 客服电话礼仪与技巧 says 120 to 150 (语速控制在120-150字/分钟).
      if (auto n = number(e.value, 120, 150, "characters a minute, from 120 to 150 (the speaking rates of 呼出操作手册规范篇 and 客服电话礼仪与技巧)")) cfg_.rate = *n;
    } else if (e.key == "budgets") {
      budgets(e.value);
    } else {
      report(Code::K0002, e.key_node, text::cat("unknown key `", e.key, "` for rule `", name, "`"));
    }
  }

  void budgets(const YAML::Node& n) {
    if (!map(n, "`budgets`")) return;
    for (const Entry& b : entries(n, {}, "`budgets`")) {
      if (!b.value.IsScalar()) {
        report(Code::K0003, b.value, "a state's budget is a duration, like `30s` or `1m`");
        continue;
      }
      const std::int64_t ms = text::parse_duration(b.value.Scalar()).value_or(std::chrono::milliseconds(-1)).count();
      if (ms < 1000 || ms % 1000 != 0 || ms > 3'600'000)
        report(Code::K0005, b.value, text::cat("`", b.value.Scalar(), "` is not a budget: a duration in whole seconds, from 1s to 1h"));
      else
        cfg_.budgets[b.key] = static_cast<std::uint32_t>(ms / 1000);
    }
  }

  // `rules:` at the top level (`options` true) or in a channel (severities only).
  template <class Settings>
  void rules(const YAML::Node& n, Settings& settings, bool options_allowed) {
    if (!map(n, "`rules`")) return;
    for (const Entry& e : entries(n, {}, "`rules`")) {
      const auto index = rule(e.key_node);
      if (!index) continue;
      RuleSetting current = cfg_.rules[*index];
      if (e.value.IsMap() && options_allowed) {
        const auto& keys = rule_keys(*index);
        for (const Entry& o : entries(e.value, keys, text::cat("rule `", kRules[*index].name, "`"))) {
          if (o.key != "severity") options(*index, o);
          else if (auto s = severity(o.value, current)) current = *s;
        }
        settings[*index] = current;
      } else if (auto s = severity(e.value, current)) {
        settings[*index] = *s;
      }
    }
  }

  void channels(const YAML::Node& n) {
    if (!map(n, "`channels`")) return;
    for (const Entry& c : entries(n, {}, "`channels`")) rules(c.value, cfg_.channels[c.key], false);
  }

  const SourceFile& src_;
  Diagnostics& diags_;
  Config& cfg_;
};

}  // namespace

std::optional<Config> load_config(const SourceFile& yaml, Diagnostics& diags) {
  Config config = default_config();
  config.path = yaml.name();
  bool ok = false;
  try {
    ok = Reader(yaml, diags, config).run();
  } catch (const std::exception& e) {  // yaml-cpp's conversions throw; nothing may escape
    diags.report(Code::K0001, {0, 0}, std::string("lint configuration could not be read: ") + e.what());
  }
  diags.sort_by_position();
  if (!ok) return std::nullopt;
  return config;
}

}  // namespace callscript::lint
