// What an ask may do: a questionnaire's questions in order (E0435), and no asking forever (E0436).
#include "prove/checks.h"

#include <algorithm>
#include <cstdint>

namespace callscript::prove {

namespace {

using K = bc::Destination::Kind;

// One edge of a path: the nodes it joins and the transition taken.
struct Hop {
  std::size_t from, to;
  std::uint32_t via;
};

// Breadth-first search that keeps how each node was first reached, so that the first offending
// place it finds comes with a shortest path to it from the root.
class Search {
 public:
  Search(std::size_t nodes, std::size_t root) : came_(nodes, {root, root, bc::kNone}), seen_(nodes, false) {
    seen_[root] = true;
    queue_.push_back(root);
  }

  bool next(std::size_t& node) {
    if (head_ == queue_.size()) return false;
    node = queue_[head_++];
    return true;
  }

  void visit(std::size_t node, std::size_t from, std::uint32_t via) {
    if (seen_[node]) return;
    seen_[node] = true;
    came_[node] = {from, node, via};
    queue_.push_back(node);
  }

  // The hops from the root to `node`, in order.
  std::vector<Hop> path(std::size_t node) const {
    std::vector<Hop> hops;
    for (; came_[node].via != bc::kNone; node = came_[node].from) hops.push_back(came_[node]);
    std::reverse(hops.begin(), hops.end());
    return hops;
  }

 private:
  std::vector<Hop> came_;
  std::vector<bool> seen_;
  std::vector<std::size_t> queue_;
  std::size_t head_ = 0;
};

// 呼出操作手册规范篇: 禁止跳题、漏题、更改问卷问题顺序. The questions of a questionnaire flow are
// its asking states, q1..qn in the order written. A question counts as asked once the customer's
// answer is stored (its `filled` is taken); leaving it by any other way (a maximum, a timer, a
// breach, a handler) leaves it unanswered. The search runs on (state, a, asking): a questions
// answered in order, and whether q(a+1) has been entered since. Entering q(a+1) asks the next one;
// entering q(a) before that asks the last one again; any other question entered is a skip or a step
// back, and a `return` with a < n leaves questions unanswered. Only the flow's own states count: a
// call into another flow is followed to its return point, and leaving the flow (a hang-up) is an
// interruption.
class Questionnaire {
 public:
  Questionnaire(const Graph& g, Reporter& r, std::uint32_t flow)
      : graph_(g), im_(g.image()), report_(r), flow_(flow), states_(g.flow_states(flow)), number_(states_.size(), 0) {
    for (std::size_t i = 0; i < states_.size(); ++i)
      if (im_.states[states_[i]].ask_count > 0) number_[i] = ++n_, questions_.push_back(states_[i]);
  }

  void run() {
    if (n_ == 0 || states_.empty()) return;
    const std::size_t first = question(states_.front());
    Search search(states_.size() * (n_ + 1) * 2, node(states_.front(), 0, first == 1));
    for (std::size_t at; search.next(at);) {
      const std::uint32_t from = state_of(at);
      const std::size_t a = answered(at);
      const bool asking = at % 2 == 1;
      bool found = false;
      graph_.each_may_fire(from, [&](const bc::Transition& t) {
        if (found) return;
        const std::uint32_t via = graph_.index(t);
        // Its answer stored: the question being asked is asked.
        const bool answer = t.trigger == bc::Trigger::Filled && question(from) == a + 1;
        const std::size_t now = answer ? a + 1 : a;
        const bool next_entered = !answer && asking;
        const bc::Destination to = bc::destination_of(im_, t, from);
        std::uint32_t next = from;
        switch (to.kind) {
          case K::Return:
            if (now < n_) found = true, report(search.path(at), via, now + 1, "returns before `" + name(questions_[now]) + "` is answered");
            return;
          case K::Stay: return search.visit(node(from, now, next_entered), at, via);
          case K::Call: next = to.return_to; break;
          case K::Enter: next = to.state; break;
        }
        if (im_.states[next].flow != flow_) return;
        const std::size_t j = question(next);
        if (j == 0) return search.visit(node(next, now, next_entered), at, via);
        if (j == now + 1) return search.visit(node(next, now, true), at, via);
        if (j == now && !next_entered) return search.visit(node(next, now, false), at, via);
        found = true;
        if (j > now + 1) report(search.path(at), via, now + 1, "goes on to `" + name(next) + "` before `" + name(questions_[now]) + "` is answered");
        else {
          const std::size_t last = next_entered ? now + 1 : now;
          report(search.path(at), via, last, "goes back to `" + name(next) + "` after asking `" + name(questions_[last - 1]) + "`", true);
        }
      });
      if (found) return;
    }
  }

 private:
  std::size_t question(std::uint32_t state) const { return number_[graph_.place_in_flow(state)]; }
  std::size_t node(std::uint32_t state, std::size_t a, bool asking) const {
    return (graph_.place_in_flow(state) * (n_ + 1) + a) * 2 + (asking ? 1 : 0);
  }
  std::uint32_t state_of(std::size_t node) const { return states_[node / 2 / (n_ + 1)]; }
  std::size_t answered(std::size_t node) const { return node / 2 % (n_ + 1); }
  std::string name(std::uint32_t state) const {
    const std::string_view full = graph_.state_name(state);
    const auto dot = full.find('.');
    return std::string(dot == std::string_view::npos ? full : full.substr(dot + 1));
  }

  // `q` (1-based): the question not answered, or the last one asked before going back.
  void report(const std::vector<Hop>& path, std::uint32_t offending, std::size_t q, const std::string& what, bool back = false) {
    const std::uint32_t qs = questions_[q - 1];
    const std::string flow(im_.str(im_.flows[flow_].name));
    auto& d = report_.diags().report(Code::E0435, report_.transition_span(offending).value_or(Span{}),
                                     "questionnaire `" + flow + "` " + what + " (question " + std::to_string(q) + " of " + std::to_string(n_) + ")");
    d.notes.push_back({report_.state_span(states_.front()), "the questionnaire starts in `" + name(states_.front()) + "`" +
                                                                (number_[0] ? ", its question 1" : "")});
    for (const Hop& hop : path) {
      const std::uint32_t a = state_of(hop.from), b = state_of(hop.to);
      const std::size_t was = answered(hop.from), now = answered(hop.to);
      d.notes.push_back({report_.transition_span(hop.via), now > was ? "the answer to `" + name(a) + "` is stored here (question " + std::to_string(now) + ")"
                                                                    : report_.hop(a, b, im_.transitions[hop.via])});
    }
    if (!back) d.notes.push_back({report_.state_span(qs), "question " + std::to_string(q) + " is `" + name(qs) + "`, not answered on this path"});
    d.hint = back ? "ask the questions in the order they are written: once the next one is asked, do not go back to an earlier one"
                  : "ask the questions in the order they are written, none skipped: a question is asked when its answer is stored; "
                    "questions only some calls ask belong in a questionnaire flow of their own, called where the choice is made";
  }

  const Graph& graph_;
  const bc::Image& im_;
  Reporter& report_;
  std::uint32_t flow_;
  std::span<const std::uint32_t> states_;
  std::vector<std::size_t> number_;          // per state of the flow: its question's number, 0 if none
  std::vector<std::uint32_t> questions_;     // the states of q1..qn
  std::size_t n_ = 0;
};

// An ask must not come round again with nothing from the customer: each entry resets its
// counters, so a silent customer would be asked forever. From the asking state, following only
// what needs nothing from the customer — eventless transitions, timers, SLA breaches, and
// `noinput` / `nomatch` (its own maximum, other asks' maximums, handlers) — the asking state
// must not be entered again. Nodes are (state, inside a call made on the way): a flow called on
// the way comes back to that call's return point when it can return silently (a summary per
// flow); a `-> return` of the flow the walk started in goes to every return point of that flow,
// since its caller is not known.
class AskLoops {
 public:
  AskLoops(const Graph& g, Reporter& r) : graph_(g), im_(g.image()), report_(r), returns_silently_(im_.flows.size(), false) {
    // A flow's summary depends on those of the flows it calls; calls nest at most so deep.
    for (bool changed = true; changed;) {
      changed = false;
      for (std::uint32_t f = 0; f < im_.flows.size(); ++f)
        if (!returns_silently_[f] && !graph_.flow_states(f).empty() && can_return(f)) returns_silently_[f] = changed = true;
    }
  }

  void run() {
    const std::vector<bool> cycles = on_silent_cycle();
    for (std::uint32_t a = 0; a < im_.states.size(); ++a)
      if (cycles[a] && im_.states[a].ask_count > 0 && graph_.waits(a)) check(a);
  }

 private:
  static constexpr std::uint32_t kReturns = bc::kReturn;  // `to` of a `-> return` inside a call

  bool silent(const bc::Transition& t) const {
    return t.trigger == bc::Trigger::Eventless || t.trigger == bc::Trigger::After || t.trigger == bc::Trigger::Breach ||
           graph_.is_noinput_or_nomatch(t);
  }

  // f(to, transition, inside a call) for each silent edge out of `from` that enters a state.
  template <class F>
  void each_silent_edge(std::uint32_t from, bool in_call, F&& f) const {
    graph_.each_may_fire(from, [&](const bc::Transition& t) {
      if (!silent(t)) return;
      const bc::Destination to = bc::destination_of(im_, t, from);
      switch (to.kind) {
        case K::Stay: return;
        case K::Enter: return f(to.state, t, in_call && !to.leaves_flows);
        case K::Call:
          f(to.state, t, true);
          if (const std::uint32_t callee = im_.states[to.state].flow; callee != bc::kNone && returns_silently_[callee]) f(to.return_to, t, in_call);
          return;
        case K::Return:
          if (in_call) return f(kReturns, t, true);
          if (const std::uint32_t flow = im_.states[from].flow; flow != bc::kNone)
            for (std::uint32_t back : graph_.return_points(flow)) f(back, t, false);
          return;
      }
    });
  }

  // Per state: whether it lies on a cycle of silent edges, calls and returns taken without
  // their context (a return goes to every return point). That over-approximates what `check`
  // follows, so a state on no such cycle needs no search: the searches then cost what the
  // offending asks cost, and the rest is one linear pass (Tarjan's strongly connected components).
  std::vector<bool> on_silent_cycle() const {
    const std::uint32_t n = static_cast<std::uint32_t>(im_.states.size());
    std::vector<std::uint32_t> first(n + 1, 0), edges;
    for (std::uint32_t s = 0; s < n; ++s) {
      first[s] = static_cast<std::uint32_t>(edges.size());
      each_silent_edge(s, false, [&](std::uint32_t to, const bc::Transition&, bool) { edges.push_back(to); });
    }
    first[n] = static_cast<std::uint32_t>(edges.size());
    constexpr std::uint32_t kUnseen = UINT32_MAX;
    std::vector<std::uint32_t> order(n, kUnseen), low(n, 0), stack, component(n, kUnseen);
    std::vector<bool> on_stack(n, false), cyclic(n, false);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> frames;  // (state, next edge): no recursion
    std::vector<std::size_t> sizes;  // per strongly connected component: its states
    std::uint32_t counter = 0, components = 0;
    for (std::uint32_t root = 0; root < n; ++root) {
      if (order[root] != kUnseen) continue;
      frames.push_back({root, first[root]});
      order[root] = low[root] = counter++;
      stack.push_back(root), on_stack[root] = true;
      while (!frames.empty()) {
        auto& [s, e] = frames.back();
        if (e < first[s + 1]) {
          const std::uint32_t to = edges[e++];
          if (to == s) cyclic[s] = true;
          if (order[to] == kUnseen) {
            order[to] = low[to] = counter++;
            stack.push_back(to), on_stack[to] = true;
            frames.push_back({to, first[to]});
          } else if (on_stack[to]) {
            low[s] = std::min(low[s], order[to]);
          }
          continue;
        }
        const std::uint32_t done = s;
        frames.pop_back();
        if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
        if (low[done] != order[done]) continue;
        std::size_t size = 0;
        for (std::uint32_t w = kUnseen; w != done; ++size) {
          w = stack.back();
          stack.pop_back(), on_stack[w] = false;
          component[w] = components;
        }
        ++components;
        sizes.push_back(size);
      }
    }
    for (std::uint32_t s = 0; s < n; ++s) cyclic[s] = cyclic[s] || sizes[component[s]] > 1;
    return cyclic;
  }

  bool can_return(std::uint32_t flow) const {
    std::vector<bool> seen(graph_.flow_states(flow).size(), false);
    std::vector<std::uint32_t> work{graph_.flow_states(flow).front()};
    seen[0] = true;
    bool returns = false;
    while (!work.empty() && !returns) {
      const std::uint32_t s = work.back();
      work.pop_back();
      each_silent_edge(s, true, [&](std::uint32_t to, const bc::Transition&, bool) {
        if (to == kReturns) returns = true;
        // The flow's own states only: a flow it calls is summarised by its return point's edge.
        else if (im_.states[to].flow == flow && !seen[graph_.place_in_flow(to)]) seen[graph_.place_in_flow(to)] = true, work.push_back(to);
      });
    }
    return returns;
  }

  void check(std::uint32_t asking) {
    const auto node = [](std::uint32_t state, bool in_call) { return std::size_t{state} * 2 + (in_call ? 1 : 0); };
    Search search(im_.states.size() * 2, node(asking, false));
    for (std::size_t at; search.next(at);) {
      bool found = false;
      each_silent_edge(static_cast<std::uint32_t>(at / 2), at % 2 == 1, [&](std::uint32_t to, const bc::Transition& t, bool in_call) {
        if (found || to == kReturns) return;
        if (to != asking) return search.visit(node(to, in_call), at, graph_.index(t));
        found = true;
        auto path = search.path(at);
        path.push_back({at, node(to, in_call), graph_.index(t)});
        report(asking, path);
      });
      if (found) return;
    }
  }

  void report(std::uint32_t asking, const std::vector<Hop>& path) {
    const std::string name = report_.state(asking);
    auto& d = report_.diags().report(Code::E0436, report_.transition_span(path.front().via).value_or(Span{}),
                                     "the ask of " + name + " can come back to " + name + " without an answer from the customer, and start over");
    for (const Hop& hop : path)
      d.notes.push_back({report_.transition_span(hop.via),
                         report_.hop(static_cast<std::uint32_t>(hop.from / 2), static_cast<std::uint32_t>(hop.to / 2), im_.transitions[hop.via])});
    d.hint = "let the `max` lead to a decision: a final state, a transfer, or a state that waits for a real event";
  }

  const Graph& graph_;
  const bc::Image& im_;
  Reporter& report_;
  std::vector<bool> returns_silently_;  // per flow: a call of it can come back with nothing from the customer
};

}  // namespace

void check_questionnaires(const Graph& graph, Reporter& report) {
  for (std::uint32_t f = 0; f < graph.image().flows.size(); ++f)
    if (graph.image().questionnaire(f)) Questionnaire(graph, report, f).run();
}

void check_ask_loops(const Graph& graph, Reporter& report) { AskLoops(graph, report).run(); }

}  // namespace callscript::prove
