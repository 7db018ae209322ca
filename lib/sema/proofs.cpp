#include "sema/proofs.h"

#include "sema/state_graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace callscript::sema {

namespace {

using T = ast::Transition;

// One edge of a path: the nodes it joins and the transition taken.
struct Hop {
  std::size_t from, to;
  const T* via;
};

// Breadth-first search that keeps how each node was first reached, so that the first offending
// place it finds comes with a shortest path to it from the root.
class Search {
 public:
  Search(std::size_t nodes, std::size_t root) : came_(nodes, {root, root, nullptr}), seen_(nodes, false) {
    seen_[root] = true;
    queue_.push_back(root);
  }

  bool next(std::size_t& node) {
    if (head_ == queue_.size()) return false;
    node = queue_[head_++];
    return true;
  }

  void visit(std::size_t node, std::size_t from, const T& via) {
    if (seen_[node]) return;
    seen_[node] = true;
    came_[node] = {from, node, &via};
    queue_.push_back(node);
  }

  // The hops from the root to `node`, in order.
  std::vector<Hop> path(std::size_t node) const {
    std::vector<Hop> hops;
    for (; came_[node].via; node = came_[node].from) hops.insert(hops.begin(), came_[node]);
    return hops;
  }

 private:
  std::vector<Hop> came_;
  std::vector<bool> seen_;
  std::vector<std::size_t> queue_;
  std::size_t head_ = 0;
};

// A state's name as seen from `flow`: its own name inside it, `FLOW.STATE` from elsewhere.
std::string state_name(const ast::Script& s, std::size_t state, std::int32_t flow) {
  const auto& st = s.states[state];
  if (st.flow < 0 || st.flow == flow) return st.name.text;
  return s.flows[static_cast<std::size_t>(st.flow)].name.text + "." + st.name.text;
}

// What a hop of a path does, for its note.
std::string describe(const ast::Script& s, std::size_t from, std::size_t to, const T& t, std::int32_t flow) {
  const std::string a = "`" + state_name(s, from, flow) + "`", b = "`" + state_name(s, to, flow) + "`";
  switch (t.goes) {
    case T::Goes::Call:
      if (s.states[to].flow == t.call_index) return a + " calls `" + t.call->text + "` here";
      return a + " calls `" + t.call->text + "` here, which returns to " + b;
    case T::Goes::Return: return a + " returns to " + b + " here";
    case T::Goes::State: break;
  }
  return a + " goes on to " + b + " here";
}

bool in_flow(const ast::Flow& f, std::size_t state) { return state >= f.first_state && state < f.first_state + f.state_count; }

// Seed 002: 禁止跳题、漏题、更改问卷问题顺序. The questions of a questionnaire flow are its
// asking states, q1..qn in the order written. The search runs on pairs (state, k), k being how
// many questions have been asked in order so far: entering q(k+1) asks the next one, entering
// q(k) again confirms the current one; any other question entered is a skip or a step back, and
// a `return` with k < n leaves questions unasked. Only the flow's own edges count: a call into
// another flow is followed to its return point, and leaving for a final state is an interruption.
class Questionnaire {
 public:
  Questionnaire(const ast::Script& s, const StateGraph& g, Diagnostics& d, std::size_t flow)
      : script_(s), graph_(g), diags_(d), flow_(s.flows[flow]), index_(static_cast<std::int32_t>(flow)),
        number_(flow_.state_count, 0) {
    for (std::size_t i = 0; i < flow_.state_count; ++i)
      if (s.states[flow_.first_state + i].ask) number_[i] = ++n_, questions_.push_back(flow_.first_state + i);
  }

  void run() {
    if (n_ == 0) return;
    Search search(flow_.state_count * (n_ + 1), node(flow_.first_state, number_[0]));
    for (std::size_t at; search.next(at);) {
      const std::size_t from = state_of(at), k = at % (n_ + 1);
      bool found = false;
      graph_.each_edge(from, {.overrides = true}, [&](std::size_t to, const T& t) {
        if (found) return;
        if (t.goes == T::Goes::Return) {
          if (k < n_) found = true, report(search.path(at), t, k + 1, "returns before asking");
          return;
        }
        if (!in_flow(flow_, to)) return;
        const std::size_t j = number_[to - flow_.first_state];
        if (j == 0 || j == k) return search.visit(node(to, k), at, t);
        if (j == k + 1) return search.visit(node(to, j), at, t);
        found = true;
        if (j > k + 1) report(search.path(at), t, k + 1, "goes on to `" + name(to) + "` without asking");
        else report(search.path(at), t, k, "goes back to `" + name(to) + "` after asking", true);
      });
      if (found) return;
    }
  }

 private:
  std::size_t node(std::size_t state, std::size_t k) const { return (state - flow_.first_state) * (n_ + 1) + k; }
  std::size_t state_of(std::size_t node) const { return flow_.first_state + node / (n_ + 1); }
  std::string name(std::size_t state) const { return state_name(script_, state, index_); }

  // `question` (1-based): the one skipped, or the last one asked before going back (`back`).
  void report(const std::vector<Hop>& path, const T& offending, std::size_t question, const std::string& what, bool back = false) {
    const std::size_t q = questions_[question - 1];
    auto& d = diags_.report(Code::E0435, offending.span, "questionnaire `" + flow_.name.text + "` " + what + " `" + name(q) +
                                                             "` (question " + std::to_string(question) + " of " + std::to_string(n_) + ")");
    d.notes.push_back({script_.states[flow_.first_state].name.span, "the questionnaire starts in `" + name(flow_.first_state) + "`" +
                                                                        (number_[0] ? ", its question 1" : "")});
    for (const Hop& hop : path) {
      const std::size_t to = state_of(hop.to), asked = hop.to % (n_ + 1);
      d.notes.push_back({hop.via->span, asked > hop.from % (n_ + 1) ? "enters `" + name(to) + "` here (question " + std::to_string(asked) + ")"
                                                                     : describe(script_, state_of(hop.from), to, *hop.via, index_)});
    }
    if (!back) d.notes.push_back({script_.states[q].name.span, "question " + std::to_string(question) + " is `" + name(q) + "`, not asked on this path"});
    d.hint = back ? "ask the questions in the order they are written: once the next one is asked, do not go back to an earlier one"
                  : "ask the questions in the order they are written, none skipped; questions only some calls ask belong in a "
                    "questionnaire flow of their own, called where the choice is made";
  }

  const ast::Script& script_;
  const StateGraph& graph_;
  Diagnostics& diags_;
  const ast::Flow& flow_;
  std::int32_t index_;
  std::vector<std::size_t> number_;     // per state of the flow: its question's number, 0 if none
  std::vector<std::size_t> questions_;  // the states of q1..qn
  std::size_t n_ = 0;
};

// After its maximum an ask must lead to a decision. From where its max exit goes, following only
// what needs no answer from the customer (eventless transitions, timers, and `noinput` /
// `nomatch` with the max exits of other asks), the asking state must not come round again: each entry resets its
// counters, so a silent customer would be asked forever. Nodes are (state, inside a call made on
// the way): a flow called on the way comes back to that call's return point when it can return
// silently (a summary per flow), not to every place the flow returns to; a `-> return` of the
// flow the walk started in goes to every return point, since its caller is not known.
class AskLoops {
 public:
  AskLoops(const ast::Script& s, const StateGraph& g, Diagnostics& d)
      : script_(s), graph_(g), diags_(d), returns_silently_(s.flows.size(), false) {
    // Flows cannot call each other in a cycle (E0411), so this settles in as many rounds as calls nest.
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t f = 0; f < s.flows.size(); ++f)
        if (!returns_silently_[f] && s.flows[f].state_count && can_return(f)) returns_silently_[f] = changed = true;
    }
  }

  void run() {
    for (std::size_t a = 0; a < script_.states.size(); ++a)
      if (script_.states[a].ask && !script_.states[a].final) check(a);
  }

 private:
  static constexpr std::size_t kReturns = SIZE_MAX;  // `to` of a `-> return` inside a call

  bool on_failure(const T& t) const {
    return t.trigger == T::Trigger::Event && (t.event_index == script_.noinput_event || t.event_index == script_.nomatch_event);
  }

  // f(to, transition, inside a call) for each edge out of `from` that needs nothing from the customer.
  template <class F>
  void each_silent_edge(std::size_t from, bool in_call, F&& f) const {
    graph_.each_edge(from, {.overrides = true}, [&](std::size_t to, const T& t) {
      // A timer needs nothing from the customer either: waiting an hour between rounds of asking
      // still asks a silent customer forever.
      if (t.trigger != T::Trigger::When && t.trigger != T::Trigger::Always && t.trigger != T::Trigger::After && !on_failure(t)) return;
      if (t.goes == T::Goes::Call) {
        const auto callee = static_cast<std::size_t>(t.call_index);
        if (to == script_.flows[callee].first_state) f(to, t, true);
        else if (returns_silently_[callee]) f(to, t, in_call);
        return;
      }
      f(t.goes == T::Goes::Return && in_call ? kReturns : to, t, in_call);
    });
  }

  bool can_return(std::size_t flow) const {
    const auto& fl = script_.flows[flow];
    std::vector<bool> seen(script_.states.size(), false);
    std::vector<std::size_t> work{fl.first_state};
    seen[fl.first_state] = true;
    bool returns = false;
    while (!work.empty() && !returns) {
      const std::size_t s = work.back();
      work.pop_back();
      each_silent_edge(s, true, [&](std::size_t to, const T&, bool) {
        if (to == kReturns) returns = true;
        // The flow's own states only: a flow it calls is summarised by its return point's edge.
        else if (script_.states[to].flow == static_cast<std::int32_t>(flow) && !seen[to]) seen[to] = true, work.push_back(to);
      });
    }
    return returns;
  }

  void check(std::size_t asking) {
    const auto node = [](std::size_t state, bool in_call) { return state * 2 + (in_call ? 1 : 0); };
    Search search(script_.states.size() * 2, node(asking, false));
    for (std::size_t at; search.next(at);) {
      bool found = false;
      each_silent_edge(at / 2, at % 2 == 1, [&](std::size_t to, const T& t, bool in_call) {
        if (found || to == kReturns) return;
        if (at / 2 == asking && !(on_failure(t) && t.leaves())) return;  // from the asking state: its max exits only
        if (to != asking) return search.visit(node(to, in_call), at, t);
        found = true;
        auto path = search.path(at);
        path.push_back({at, node(to, in_call), &t});
        report(asking, path);
      });
      if (found) return;
    }
  }

  void report(std::size_t asking, const std::vector<Hop>& path) {
    const std::int32_t flow = script_.states[asking].flow;
    const std::string name = state_name(script_, asking, -1);
    auto& d = diags_.report(Code::E0436, path.front().via->span, "after its maximum, the ask of `" + name +
                                                                    "` can come back to `" + name + "` without an answer, and start over");
    for (const Hop& hop : path) d.notes.push_back({hop.via->span, describe(script_, hop.from / 2, hop.to / 2, *hop.via, flow)});
    d.hint = "let the `max` lead to a decision: a final state, a transfer, or a state that waits for a real event";
  }

  const ast::Script& script_;
  const StateGraph& graph_;
  Diagnostics& diags_;
  std::vector<bool> returns_silently_;  // per flow: a call of it can come back with nothing from the customer
};

}  // namespace

void check_questionnaires(const ast::Script& script, Diagnostics& diags) {
  const StateGraph graph(script);
  for (std::size_t f = 0; f < script.flows.size(); ++f)
    if (script.flows[f].questionnaire) Questionnaire(script, graph, diags, f).run();
}

void check_ask_loops(const ast::Script& script, Diagnostics& diags) {
  const StateGraph graph(script);
  AskLoops(script, graph, diags).run();
}

void check_proofs(const ast::Script& script, Diagnostics& diags) {
  check_questionnaires(script, diags);
  check_ask_loops(script, diags);
}

}  // namespace callscript::sema
