#include "imports/imports.h"

#include "syntax/parse.h"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <unordered_map>

namespace callscript::imports {

namespace {

namespace fs = std::filesystem;

class Importer {
 public:
  Importer(ast::Script& script, const SourceFile& source, Diagnostics& diags, SourceProvider& sources)
      : script_(script), diags_(diags), sources_(sources) {
    const std::string self = sources_.identity(source.name());
    chain_.push_back(self);
    done_.push_back(self);
  }

  void run() {
    if (script_.library) {
      diags_.report(Code::E0432, script_.name.span, "`" + script_.name.text + "` is a library, not a script").hint =
          "a library is compiled where a script imports it: `import \"PATH\"`";
      return;
    }
    const std::string base = diags_.source(0).name();
    own_flows_ = script_.flows.size();
    for (const ast::Import& imp : script_.imports) import(imp, base);
    drop_uncalled_flows();
    resolve_phrases();
  }

 private:
  void import(const ast::Import& imp, const std::string& importer) {
    const fs::path path = (fs::path(importer).parent_path() / imp.path).lexically_normal();
    // Files are told apart by the provider's identity, so that `a/../b.call` and `b.call` are one
    // file (imported once) and a cycle is seen whatever the spelling.
    const std::string id = sources_.identity(path.string());
    if (auto at = std::find(chain_.begin(), chain_.end(), id); at != chain_.end()) {
      std::string cycle;
      for (auto it = at; it != chain_.end(); ++it) cycle += fs::path(*it).filename().string() + " -> ";
      diags_.report(Code::E0431, imp.span, "`" + imp.path + "` imports itself: " + cycle + fs::path(id).filename().string()).hint =
          "move what both files need into a third, and import that from each";
      return;
    }
    if (std::find(done_.begin(), done_.end(), id) != done_.end()) return;  // already merged
    done_.push_back(id);
    if (done_.size() > kMaxImportedFiles + 1) {
      diags_.report(Code::E0430, imp.span, "more than " + std::to_string(kMaxImportedFiles) + " files are imported");
      return;
    }
    SourceRead read = sources_.read(path.string());
    if (!read.text) {
      diags_.report(Code::E0430, imp.span, "cannot read `" + path.string() + "`: " + read.error).hint = "the path is relative to the importing file";
      return;
    }
    const std::uint16_t file = diags_.add_source(SourceFile(path.string(), std::move(*read.text)));
    const std::size_t errors = diags_.error_count();
    std::optional<ast::Script> lib = syntax::parse(diags_.source(file), diags_, file);
    if (!lib || diags_.error_count() > errors) return;
    if (!lib->library) {
      diags_.report(Code::E0432, imp.span, "`" + imp.path + "` is a script; only a library can be imported")
              .notes.push_back({lib->name.span, "declared as `script " + lib->name.text + "` here"});
      return;
    }
    for (const Span& s : lib->not_in_library)
      diags_.report(Code::E0432, s, "a library holds only phrases, slots, events, effects, flows and imports").hint =
          "states, handlers, SLAs, campaigns and the script's metadata belong to the script that imports it";
    if (!lib->not_in_library.empty()) return;
    chain_.push_back(id);
    for (const ast::Import& inner : lib->imports) import(inner, path.string());
    chain_.pop_back();
    merge(std::move(*lib));
  }

  // The library's declarations go after the script's own, so that a name declared twice is
  // reported where the second one stands, with a note at the first.
  void merge(ast::Script lib) {
    for (auto& s : lib.slots) script_.slots.push_back(std::move(s));
    for (auto& e : lib.events) script_.events.push_back(std::move(e));
    for (auto& e : lib.effects) script_.effects.push_back(std::move(e));
    for (auto& p : lib.phrases) script_.phrases.push_back(std::move(p));
    const auto first_flow = static_cast<std::int32_t>(script_.flows.size());
    const std::size_t first_state = script_.states.size();
    for (auto& st : lib.states) {
      if (st.flow >= 0) st.flow += first_flow;
      script_.states.push_back(std::move(st));
    }
    for (auto& f : lib.flows) {
      f.first_state += first_state;
      script_.flows.push_back(std::move(f));
    }
  }

  // A library offers flows; a script takes the ones it calls (directly, or through a flow it
  // calls). The others are left out, so that they are neither compiled nor reported unreachable.
  void drop_uncalled_flows() {
    if (script_.flows.size() == own_flows_) return;
    // The library flows by name, and a worklist of the names called: each flow kept adds the
    // names it calls, and every flow is looked at once.
    std::unordered_map<std::string_view, std::vector<std::size_t>> library_flows;
    for (std::size_t f = own_flows_; f < script_.flows.size(); ++f) library_flows[script_.flows[f].name.text].push_back(f);
    std::vector<std::string_view> called;
    auto note = [&](const ast::Transition& t) {
      if (t.goes == ast::Transition::Goes::Call && t.call) called.push_back(t.call->text);
    };
    auto from_state = [&](const ast::State& st) {
      for (const auto& t : st.transitions) note(t);
      if (st.ask) {
        if (st.ask->on_max) note(*st.ask->on_max);
        for (const auto& t : st.ask->filled) note(t);
      }
    };
    for (const auto& st : script_.states)
      if (st.flow < 0 || static_cast<std::size_t>(st.flow) < own_flows_) from_state(st);
    for (const auto& t : script_.handlers) note(t);
    for (std::size_t f = 0; f < own_flows_; ++f)
      for (const auto& t : script_.flows[f].handlers) note(t);
    for (const auto& sla : script_.slas) note(sla.breach);
    for (const auto& k : script_.campaigns)
      for (const auto* t : {&k.connected, &k.exhausted, &k.no_numbers})
        if (*t) note(**t);
    std::vector<bool> keep(script_.flows.size(), true);
    for (std::size_t f = own_flows_; f < keep.size(); ++f) keep[f] = false;
    while (!called.empty()) {
      const auto it = library_flows.find(called.back());
      called.pop_back();
      if (it == library_flows.end()) continue;
      for (std::size_t f : it->second) {
        if (keep[f]) continue;
        keep[f] = true;
        const ast::Flow& flow = script_.flows[f];
        for (std::size_t i = 0; i < flow.state_count; ++i) from_state(script_.states[flow.first_state + i]);
        for (const auto& t : flow.handlers) note(t);
      }
    }
    std::vector<ast::State> states;
    std::vector<ast::Flow> flows;
    std::vector<std::int32_t> index(script_.flows.size(), -1);
    for (std::size_t f = 0; f < keep.size(); ++f)
      if (keep[f]) {
        index[f] = static_cast<std::int32_t>(flows.size());
        flows.push_back(std::move(script_.flows[f]));
      }
    // A flow's states are a run: its new start is where its first kept state lands.
    for (auto& f : flows) f.state_count = 0;
    for (auto& st : script_.states) {
      if (st.flow >= 0 && index[static_cast<std::size_t>(st.flow)] < 0) continue;
      if (st.flow >= 0) {
        st.flow = index[static_cast<std::size_t>(st.flow)];
        ast::Flow& f = flows[static_cast<std::size_t>(st.flow)];
        if (f.state_count++ == 0) f.first_state = states.size();
      }
      states.push_back(std::move(st));
    }
    script_.states = std::move(states);
    script_.flows = std::move(flows);
  }

  template <class F>
  void for_each_action(F&& f) {
    for (auto& st : script_.states)
      for (auto& a : st.entry) f(a);
    ast::for_each_transition(script_, [&](ast::Transition& t) {
      for (auto& a : t.actions) f(a);
    });
  }

  void resolve_phrases() {
    std::vector<std::string_view> names;
    std::unordered_map<std::string_view, const ast::Phrase*> first;  // each name's first declaration
    for (const ast::Phrase& p : script_.phrases) {
      auto [it, fresh] = first.emplace(p.name.text, &p);
      if (!fresh)
        diags_.report(Code::E0204, p.name.span, "phrase `" + p.name.text + "` is defined twice").notes.push_back({it->second->name.span, "first defined here"});
      else
        names.push_back(p.name.text);
    }
    for_each_action([&](ast::Action& a) {
      if (a.kind != ast::Action::Kind::Say || a.name.text.empty()) return;
      const auto found = first.find(a.name.text);
      if (found == first.end()) {
        auto& d = diags_.report(Code::E0433, a.name.span, "no phrase named `" + a.name.text + "`");
        if (auto best = closest_name(a.name.text, names)) d.hint = "did you mean `" + *best + "`?";
        else d.hint = "declare it, `phrase " + a.name.text + " \"...\"`, or import the library that does";
        return;
      }
      const ast::Phrase* it = found->second;
      a.text = it->text;
      a.text_span = it->text_span;
      a.text_offsets = it->text_offsets;
    });
  }

  ast::Script& script_;
  Diagnostics& diags_;
  SourceProvider& sources_;
  std::vector<std::string> chain_;  // the files being imported, outermost first: a cycle returns to one
  std::vector<std::string> done_;   // every file read, the script's own included
  std::size_t own_flows_ = 0;    // the script's own flows come first, then the libraries'
};

}  // namespace

bool resolve(ast::Script& script, const SourceFile& source, Diagnostics& diags, SourceProvider& sources) {
  const std::size_t before = diags.error_count();
  Importer(script, source, diags, sources).run();
  return diags.error_count() == before;
}

}  // namespace callscript::imports
