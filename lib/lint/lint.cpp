// The house rules on prompt texts. Each rule reads the prompts through prompt_text.h: words are
// matched on the NFKC case-folded text without spaces and punctuation, lengths are counted on
// the reading the customer hears. grammar/LINT.md says why each rule is what it is.
#include "lint/lint.h"

#include "compiler/stage.h"
#include "lint/allow.h"
#include "lint/table_texts.h"
#include "imports/imports.h"
#include "lint/prompt_text.h"
#include "sema/promise_text.h"
#include "syntax/parse.h"
#include "text/text.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <exception>
#include <map>

namespace callscript::lint {

namespace {

struct Finding {
  std::size_t rule;
  Span span;
  std::string message, hint;
  std::optional<std::string> fix;
  std::vector<Note> notes;
};

using text::Folded;
using text::Hit;
using text::Matcher;
using text::Word;
using text::compile;
using text::ends_sentence;
using text::latin_letter;

std::u32string u32(std::string_view s) {
  std::u32string out;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
  for (std::int32_t k = 0; k < u.length(); k = u.moveIndex32(k, 1)) out += static_cast<char32_t>(u.char32At(k));
  return out;
}

// Whether the characters of a text are Chinese ones: the house manuals' lengths
// (客服中心客户沟通技巧手册: 每句话不超过15个字; 呼出操作手册规范篇: 每分钟应保持在120个字左右)
// count Chinese characters, and mean nothing for an English sentence.
bool counts_characters(const std::string& locale) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale l = icu::Locale::forLanguageTag(locale, status);
  return U_FAILURE(status) || l.isBogus() || std::string_view(l.getLanguage()) == "zh";
}

// A state's `say` replaced by a string table's text.
using Overrides = std::map<const ast::Action*, const ast::Action*>;

// `src` is where the findings are: the script, or the string table whose texts are linted.
class Linter {
 public:
  Linter(const SourceFile& src, const Config& cfg, const ast::Script& script, const std::string& locale)
      : src_(src), cfg_(cfg), script_(script), chinese_(counts_characters(locale)),
        channel_(script.channel.given ? script.channel.value : "phone"),
        forbidden_(compile(cfg.forbidden)), informal_(compile(cfg.informal)), turning_(compile(cfg.turning)),
        vague_(compile(cfg.vague)), jargon_(compile(cfg.jargon)), markers_(compile({cfg.explain_markers, {}})) {
    revisit_ = ast::is_outbound_revisit(script);
    online_ = std::find(cfg.online_channels.begin(), cfg.online_channels.end(), channel_) != cfg.online_channels.end();
  }

  std::vector<Finding> run() {
    for (const ast::Phrase& p : script_.phrases) {
      ast::Action said;  // a phrase is checked like a `say` of its text, where it is written
      said.kind = ast::Action::Kind::Say;
      said.span = p.name.span;
      said.text = p.text;
      said.text_span = p.text_span;
      said.text_offsets = p.text_offsets;
      say(said);
    }
    for (const ast::Transition& t : script_.handlers) transition(t);
    for (const ast::Sla& s : script_.slas) transition(s.breach);
    for (const ast::Flow& f : script_.flows)
      for (const ast::Transition& t : f.handlers) transition(t);
    for (const ast::State& s : script_.states) {
      actions(s.entry);
      for (const ast::Transition& t : s.transitions) transition(t);
      if (s.ask) {
        actions(s.ask->noinput);
        actions(s.ask->nomatch);
        if (s.ask->on_max) transition(*s.ask->on_max);
        for (const ast::Transition& t : s.ask->filled) transition(t);
      }
      if (on(Code::L0008)) budget(s, nullptr);
    }
    return std::move(findings_);
  }

  // A string table's texts, each as a `say`; the budgets of the states whose prompts it changes.
  std::vector<Finding> run(const TableTexts& table, const Overrides& overrides) {
    for (const TableText& t : table.texts) say(t.said);
    if (on(Code::L0008))
      for (const ast::State& s : script_.states) budget(s, &overrides);
    return std::move(findings_);
  }

  const std::string& channel() const { return channel_; }

 private:
  bool on(Code c) const {
    if ((c == Code::L0004 || c == Code::L0008) && !chinese_) return false;
    return cfg_.setting(rule_index(c), channel_).enabled;
  }
  void report(Code c, Span s, std::string message, std::string hint, std::optional<std::string> fix = std::nullopt) {
    findings_.push_back({rule_index(c), s, std::move(message), std::move(hint), std::move(fix), {}});
  }
  std::string found(Span s) const { return src_.text().substr(s.begin, s.end - s.begin); }
  Span hit_span(const Folded& f, const Hit& h) const { return span_of(f.skel, h.begin, h.end); }

  void transition(const ast::Transition& t) { actions(t.actions); }
  void actions(const std::vector<ast::Action>& list) {
    for (const ast::Action& a : list)
      if (a.kind == ast::Action::Kind::Say) say(a);
  }

  void say(const ast::Action& a) {
    // `say NAME` and what an imported library wrote are linted where their text is written.
    if (!a.name.text.empty() || a.text_span.file != 0) return;
    for (const Glyphs& raw : fragments(a)) {
      const Folded f = text::fold(raw);
      if (on(Code::L0001)) forbidden(f);
      if (on(Code::L0002)) informal(f);
      if (on(Code::L0003)) words(Code::L0003, turning_, f);
      if (revisit_ && on(Code::L0005)) words(Code::L0005, vague_, f);
      if (online_ && on(Code::L0006)) shouting(raw);
      if (on(Code::L0007)) jargon(f);
      if (revisit_ && on(Code::L0011)) promises(raw);
    }
    if (on(Code::L0004)) sentence_length(a);
  }

  // Quotes the configured phrase, and how it was written when that differs (不 知道, ＳＬＡ).
  std::string quoted(const Word& w, Span s) const {
    const std::string written = found(s);
    return written == w.text ? text::cat("`", w.text, "`") : text::cat("`", w.text, "` (written `", written, "`)");
  }

  void forbidden(const Folded& f) {
    for (const Hit& h : text::find(forbidden_, f)) {
      const Span s = hit_span(f, h);
      const auto fix = cfg_.fixes.find(h.word->text);
      if (fix != cfg_.fixes.end())
        report(Code::L0001, s, text::cat("forbidden phrase ", quoted(*h.word, s), ", one of the 服务忌语 of the house manuals (呼出操作手册规范篇, 客户服务标准用语与响应时间规范指南)"),
               text::cat("say `", fix->second, "` instead, the replacement 客户服务标准用语与响应时间规范指南 gives"), fix->second);
      else
        report(Code::L0001, s, text::cat("forbidden phrase ", quoted(*h.word, s), ", one of the 服务忌语 of the house manuals (呼出操作手册规范篇, 客户服务标准用语与响应时间规范指南)"),
               "say what you will do for the customer instead; the outbound calling manual (呼出操作手册规范篇) lists it among the phrases never said");
    }
  }

  // 你 becomes 您 (a safe fix: the same word, polite); 你们 has no safe fix, since 您 and 我们
  // say different things (the customer, or the agent and the customer together).
  void informal(const Folded& f) {
    for (const Hit& h : text::find(informal_, f)) {
      const Span s = hit_span(f, h);
      if (h.word->form == U"你们")
        report(Code::L0002, s, text::cat("`", found(s), "` towards the customer"),
               "say `您` to the customer, or `我们` for what you do together (客户服务电话应对策略模板: 多用“我们”代替“你们”)");
      else
        report(Code::L0002, s, text::cat("`", found(s), "` towards the customer: always `您` (呼出操作手册规范篇: 多用您，不用你)"), "write `您`", "您");
    }
  }

  void words(Code c, const Matcher& m, const Folded& f) {
    for (const Hit& h : text::find(m, f)) {
      const Span s = hit_span(f, h);
      if (c == Code::L0003)
        report(c, s, text::cat("turning word ", quoted(*h.word, s), " puts the customer on guard (客户服务电话应对策略模板: 避免使用“但是”“不过”等转折词)"),
               "say the two facts as two sentences, without the turning word");
      else
        report(c, s, text::cat("vague word ", quoted(*h.word, s), " in a revisit script (呼出操作手册规范篇: no 模糊性语言 in revisits)"),
               "say the exact fact, or leave it out: a revisit must not promise a time or a result");
    }
  }

  // The compiler proves the same of the script's own prompts (E0438); here it holds for any text
  // a revisit says, a string table's included. Times first where a word is part of one.
  void promises(const Glyphs& raw) {
    std::vector<std::pair<Span, std::string>> said;
    for (const sema::PromisedTime& t : sema::find_promised_times(raw))
      said.emplace_back(Span{t.offset, t.offset + t.length}, "a time");
    for (const sema::Found& w : sema::find_promise_words(raw, cfg_.promise_words.words, cfg_.promise_words.allow)) {
      const Span s{w.offset, w.offset + w.length};
      const bool inside = std::any_of(said.begin(), said.end(), [&](const auto& t) { return s.begin < t.first.end && t.first.begin < s.end; });
      if (!inside) said.emplace_back(s, "a time or a result");
    }
    for (const auto& [s, what] : said)
      report(Code::L0011, s, text::cat("`", found(s), "` promises the customer ", what, " in a revisit (呼出操作手册规范篇: 禁止承诺客户)"),
             "say what was recorded, and that the department concerned will follow it up; a revisit promises nothing");
  }

  void shouting(const Glyphs& raw) {
    const Glyphs g = normalize(raw, false);
    for (std::size_t k = 0; k < g.size(); ++k) {
      if (g[k].c == '!') {
        report(Code::L0006, g[k].src, text::cat("`", found(g[k].src), "` in an online reply reads as impatience (客户服务标准用语与响应时间规范指南: 在线客服需避免使用全大写字母或感叹号)"),
               "end the sentence with `。`");
        continue;
      }
      if (!latin_letter(g[k].c)) continue;
      std::size_t e = k;
      bool caps = true;
      while (e < g.size() && latin_letter(g[e].c)) caps = caps && u_isupper(g[e].c), ++e;
      std::u32string word;
      for (std::size_t j = k; j < e; ++j) word += static_cast<char32_t>(g[j].c);
      const bool acronym = std::any_of(cfg_.acronyms.begin(), cfg_.acronyms.end(), [&](const std::string& a) { return u32(a) == word; });
      if (caps && e - k >= 2 && !acronym) {
        const Span s = span_of(g, k, e);
        report(Code::L0006, s, text::cat("all-caps `", found(s), "` in an online reply reads as shouting (客户服务标准用语与响应时间规范指南: 在线客服需避免使用全大写字母或感叹号)"),
               "write the word in lower case");
      }
      k = e - 1;
    }
  }

  // Explained: a parenthesis after the term, or a marker (也就是, 是指 ...) anywhere in its sentence.
  void jargon(const Folded& f) {
    const std::vector<Hit> markers = text::find(markers_, f);
    for (const Hit& h : text::find(jargon_, f)) {
      std::size_t b = f.at[h.begin], e = f.at[h.end - 1] + 1;
      while (b > 0 && !ends_sentence(f.folded[b - 1].c)) --b;
      while (e < f.folded.size() && !ends_sentence(f.folded[e].c)) ++e;
      bool explained = false;
      for (std::size_t j = f.at[h.end - 1] + 1; j < e && !explained; ++j) explained = f.folded[j].c == '(';
      for (const Hit& m : markers) explained = explained || (f.at[m.begin] >= b && f.at[m.begin] < e);
      if (explained) continue;
      const Span s = hit_span(f, h);
      report(Code::L0007, s, text::cat("jargon ", quoted(*h.word, s), " without an explanation in plain words (客服电话礼仪与技巧: 技术类词汇需用客户能理解的表述解释)"),
             text::cat("explain it where it is said, e.g. `", found(s), "（…）` or `…，也就是…`, or say the plain words instead"));
    }
  }

  void sentence_length(const ast::Action& a) {
    const Glyphs g = reading(a, cfg_.placeholder_length);
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    for (const auto& [sb, se] : sentences(g))
      for (const auto& clause : clauses(g, sb, se)) parts.push_back(clause);
    for (const auto& [b, e] : parts) {
      const std::uint32_t n = reader_length(g, b, e);
      if (n <= cfg_.max_sentence) continue;
      std::size_t first = b, last = e;
      while (first < last && is_skipped(g[first].c)) ++first;
      while (last > first && is_skipped(g[last - 1].c)) --last;
      report(Code::L0004, span_of(g, first, last),
             text::cat("sentence of ", n, " characters without a pause; the house rule is at most ", cfg_.max_sentence,
                       " (客服中心客户沟通技巧手册: 每句话不超过15个字)"),
             "split it into shorter sentences, or pause with a comma");
    }
  }

  // With a table, only a state one of whose prompts it changes, reported at that text.
  void budget(const ast::State& s, const Overrides* table) {
    if (s.name.span.file != 0) return;  // a library's flow: linted in the library's own file
    const auto it = cfg_.budgets.find(s.name.text);
    if (it == cfg_.budgets.end()) return;
    std::uint32_t total = 0;
    std::vector<Note> notes;
    const ast::Action* changed = nullptr;
    for (const ast::Action& a : s.entry) {
      if (a.kind != ast::Action::Kind::Say) continue;
      const ast::Action* said = &a;
      if (const auto o = table ? table->find(&a) : Overrides::const_iterator(); table && o != table->end()) {
        said = o->second;
        if (!changed) changed = said;
      }
      const Glyphs g = reading(*said, cfg_.placeholder_length);
      const std::uint32_t n = reader_length(g, 0, g.size());
      total += n;
      // A phrase from a library is shown at the `say` that says it, in this file; with a table,
      // a text it leaves as it was is quoted (it is in the script, not in this file).
      if (table && said == &a) notes.push_back({std::nullopt, text::cat("the script's own text `", a.text, "`: ", n, " characters")});
      else notes.push_back({said->text_span.file == 0 ? said->text_span : said->span, text::cat(n, " characters")});
    }
    if (table && !changed) return;
    const std::uint64_t limit = std::uint64_t{it->second} * cfg_.rate;  // characters, times 60
    if (std::uint64_t{total} * 60 <= limit) return;
    const std::uint64_t seconds = (std::uint64_t{total} * 60 + cfg_.rate - 1) / cfg_.rate;
    report(Code::L0008, changed ? changed->text_span : s.name.span,
           text::cat("the prompts of state `", s.name.text, "` take about ", seconds, " s to say (", total, " characters at ",
                     cfg_.rate, " a minute), over its budget of ", it->second, " s"),
           "shorten the prompts, or say part of them in the next state");
    findings_.back().notes = std::move(notes);
  }

  const SourceFile& src_;
  const Config& cfg_;
  const ast::Script& script_;
  bool chinese_;
  std::string channel_;
  Matcher forbidden_, informal_, turning_, vague_, jargon_, markers_;
  bool revisit_ = false, online_ = false;
  std::vector<Finding> findings_;
};

// Findings an allow comment covers are dropped; the allows themselves may be findings.
void apply_allows(const SourceFile& src, std::vector<Allow> allows, const Config& cfg, const std::string& channel, std::vector<Finding>& findings) {
  std::erase_if(findings, [&](const Finding& f) {
    const std::uint32_t line = src.position(f.span.begin).line;
    for (Allow& a : allows) {
      if (a.applies_to != line || a.reason.empty()) continue;
      for (Allow::Rule& r : a.rules)
        if (r.index == f.rule) return r.used = true;
    }
    return false;
  });
  const auto enabled = [&](Code c) { return cfg.setting(rule_index(c), channel).enabled; };
  for (const Allow& a : allows) {
    if (enabled(Code::L0009)) {
      for (const Allow::Problem& p : a.problems) findings.push_back({rule_index(Code::L0009), p.span, p.message, p.hint, {}, {}});
      if (a.reason.empty() && !a.rules.empty())
        findings.push_back({rule_index(Code::L0009), a.span, text::cat("`", a.lead, " lint: allow` without a reason: it allows nothing"),
                            text::cat("say why after `--`: `", a.lead, " lint: allow turning-word -- the standard phrase of 客户服务标准用语与响应时间规范指南, verbatim`"), {}, {}});
    }
    if (!enabled(Code::L0010) || a.reason.empty()) continue;
    for (const Allow::Rule& r : a.rules)
      if (!r.used && cfg.setting(r.index, channel).enabled)
        findings.push_back({rule_index(Code::L0010), r.span,
                            text::cat("`", kRules[r.index].name, "` is allowed here, but line ", a.applies_to, " has no such finding"),
                            "remove the allow: it would hide a finding added later", {}, {}});
  }
}

}  // namespace

std::optional<std::size_t> find_rule(std::string_view name) {
  for (std::size_t i = 0; i < kRules.size(); ++i)
    if (kRules[i].name == name || code_name(kRules[i].code) == name) return i;
  return std::nullopt;
}

std::size_t rule_index(Code code) {
  return static_cast<std::size_t>(code) - static_cast<std::size_t>(kRules[0].code);
}

namespace {

// The script's syntax tree with its imports resolved (they give `say NAME` its text, so that a
// state's spoken length counts its phrases; their own problems are the compiler's to report), or
// nothing, with the syntax errors in `diags`. The compiler's warnings are `callc check`'s business.
std::optional<ast::Script> parse_script(const SourceFile& source, Diagnostics& diags, SourceProvider& sources) {
  Diagnostics syntax(source);
  std::optional<ast::Script> script;
  try {
    script = syntax::parse(source, syntax);
  } catch (...) {
    compiler::report_internal_error(syntax, compiler::Stage::Parse);
  }
  if (!script || syntax.error_count() > 0) {
    syntax.sort_by_position();
    for (const Diagnostic& d : syntax.all())
      if (d.severity == Severity::Error) diags.report(d.code, d.span, d.message) = d;
    return std::nullopt;
  }
  Diagnostics imported(source);
  try {
    imports::resolve(*script, source, imported, sources);
  } catch (...) {
    compiler::report_internal_error(diags, compiler::Stage::Imports);
    return std::nullopt;
  }
  return script;
}

std::string locale_of(const ast::Script& s) { return s.locale.given ? s.locale.value : "zh-CN"; }

Result report(std::vector<Finding> findings, const SourceFile& src, std::vector<Allow> allows, const Config& config,
              const std::string& channel, Diagnostics& diags) {
  Result result;
  result.parsed = true;
  apply_allows(src, std::move(allows), config, channel, findings);
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) { return a.span.begin < b.span.begin; });
  for (Finding& f : findings) {
    const Code code = kRules[f.rule].code;
    Diagnostic& d = diags.report(code, f.span, std::move(f.message));
    d.severity = config.setting(f.rule, channel).severity;
    d.hint = std::move(f.hint);
    d.notes = std::move(f.notes);
    d.rule = std::string(kRules[f.rule].name);
    if (f.fix && (result.fixes.empty() || result.fixes.back().span.end <= f.span.begin))
      result.fixes.push_back({f.span, std::move(*f.fix)});
  }
  return result;
}

}  // namespace

Result lint(const SourceFile& source, const Config& config, Diagnostics& diags, SourceProvider& sources) {
  const std::optional<ast::Script> script = parse_script(source, diags, sources);
  if (!script) return {};
  Linter linter(source, config, *script, locale_of(*script));
  return report(linter.run(), source, scan_allows(source), config, linter.channel(), diags);
}

Result lint_strings(const SourceFile& script_source, const bc::Image& image, const SourceFile& table, const Config& config,
                    Diagnostics& diags, SourceProvider& sources) {
  Diagnostics script_diags(script_source);
  const std::optional<ast::Script> script = parse_script(script_source, script_diags, sources);
  if (!script) return {};
  const TableTexts texts = read_table_texts(table);
  // The ids of the prompts the states say on entry (for their budgets): a phrase's is
  // `phrase.NAME`; any other is found in the image by its text and line, as the code generator
  // recorded it.
  Overrides overrides;
  for (const ast::State& st : script->states)
    for (const ast::Action& a : st.entry) {
      if (a.kind != ast::Action::Kind::Say) continue;
      std::string id = a.name.text.empty() ? std::string() : "phrase." + a.name.text;
      if (id.empty() && a.span.file == 0) {
        const std::uint32_t line = script_source.position(a.span.begin).line;
        for (const bc::Prompt& p : image.prompts)
          if (p.line == line && image.str(p.text) == a.text) id = std::string(image.str(p.id));
      }
      for (const TableText& t : texts.texts)
        if (!id.empty() && t.id == id) overrides[&a] = &t.said;
    }
  Linter linter(table, config, *script, texts.locale ? *texts.locale : std::string(image.str(image.script.locale)));
  return report(linter.run(texts, overrides), table, scan_allows(table, AllowSyntax::Yaml), config, linter.channel(), diags);
}

std::string apply_fixes(std::string_view text, std::span<const Fix> fixes) {
  std::string out;
  std::size_t at = 0;
  for (const Fix& f : fixes) {
    if (f.span.begin < at || f.span.end > text.size()) continue;
    out.append(text.substr(at, f.span.begin - at));
    out += f.replacement;
    at = f.span.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace callscript::lint
