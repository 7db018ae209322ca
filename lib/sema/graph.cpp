#include "sema/graph.h"

#include "sema/state_graph.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

namespace callscript::sema {

namespace {

using T = ast::Transition;

// Depth-first search from `root` on a stack of its own, not the thread's: a generated script may
// chain tens of thousands of eventless states or flow calls, and a recursive search would go one
// frame deeper for each. `edges(node)` lists a node's edges as it is entered; `step(node, edge)`
// names the node to go into, if any; `done(node, from)` runs once all its edges are taken, with
// the node it was entered from (nothing for the root).
template <class Edge, class Edges, class Step, class Done>
void depth_first(std::size_t root, Edges&& edges, Step&& step, Done&& done) {
  struct Frame {
    std::size_t node;
    std::vector<Edge> edges;
    std::size_t next = 0;
  };
  std::vector<Frame> stack;
  stack.push_back({root, edges(root)});
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == top.edges.size()) {
      const std::size_t node = top.node;
      stack.pop_back();
      done(node, stack.empty() ? std::nullopt : std::optional(stack.back().node));
      continue;
    }
    const std::size_t node = top.node;
    const Edge edge = top.edges[top.next++];
    if (const std::optional<std::size_t> into = step(node, edge)) stack.push_back({*into, edges(*into)});
  }
}

class Graph {
 public:
  Graph(ast::Script& s, Diagnostics& d) : script_(s), diags_(d), edges_(s), canonical_(s.states.size(), true) {
    // The first of several states with one name in one scope is the one names resolve to.
    std::set<std::pair<std::int32_t, std::string>> seen;
    for (std::size_t i = 0; i < s.states.size(); ++i)
      canonical_[i] = seen.insert({s.states[i].flow, s.states[i].name.text}).second;
  }

  void run(bool had_errors) {
    if (script_.states.empty()) return;
    check_flow_calls();
    reach();
    std::vector<bool> dead_end(script_.states.size(), false);
    const auto leaves = [](const T& h) { return h.leaves(); };
    bool handler_leaves = std::any_of(script_.handlers.begin(), script_.handlers.end(), leaves);
    for (std::size_t i = 0; i < script_.states.size(); ++i) {
      auto& st = script_.states[i];
      if (!canonical_[i]) continue;
      const auto& flow = flow_handlers(i);
      if (!st.reachable && !had_errors)
        diags_.report(Code::W0001, st.name.span, "state `" + st.name.text + "` can never be entered").hint =
            "add a transition to it, or remove it";
      if (st.final) continue;
      dead_end[i] = !handler_leaves && std::none_of(flow.begin(), flow.end(), leaves) &&
                    std::none_of(st.transitions.begin(), st.transitions.end(), leaves);
      if (dead_end[i])
        diags_.report(Code::E0401, st.name.span, "state `" + st.name.text + "` can neither be left nor end the call").hint =
            "add a transition out of it (`on EVENT -> STATE`), or make it `final NAME: OUTCOME`";
    }
    if (!had_errors) check_can_end(dead_end);
    find_eventless_cycles();
  }

 private:
  const std::vector<T>& flow_handlers(std::size_t state) const { return edges_.flow_handlers(state); }

  // `breaches`: SLA breaches make states reachable, but never count as a sure way to end the call.
  template <class F>
  void each_edge(std::size_t from, bool eventless_only, F&& f, bool breaches = false) const {
    edges_.each_edge(from, {.eventless_only = eventless_only, .breaches = breaches, .overrides = false}, f);
  }

  void reach() {
    std::vector<std::size_t> work{static_cast<std::size_t>(script_.start_index)};
    script_.states[work[0]].reachable = true;
    while (!work.empty()) {
      const std::size_t s = work.back();
      work.pop_back();
      each_edge(s, false, [&](std::size_t to, const T&) {
        if (!script_.states[to].reachable) script_.states[to].reachable = true, work.push_back(to);
      }, true);
    }
  }

  // Every state a call can reach must have some path to a final state; otherwise the call can
  // get stuck in a loop of states that never ends it. Walks the edges backwards from the finals.
  void check_can_end(const std::vector<bool>& dead_end) {
    const auto n = script_.states.size();
    std::vector<std::vector<std::size_t>> into(n);
    std::vector<std::size_t> work;
    std::vector<bool> ends(n, false);
    for (std::size_t i = 0; i < n; ++i) {
      if (script_.states[i].final) ends[i] = true, work.push_back(i);
      each_edge(i, false, [&](std::size_t to, const T&) { into[to].push_back(i); });
    }
    if (work.empty()) {
      diags_.report(Code::E0409, script_.name.span, "script `" + script_.name.text + "` has no final state, so no call can end").hint =
          "add `final NAME: OUTCOME` and a way to reach it, e.g. a script-wide `on hangup -> NAME`";
      return;
    }
    while (!work.empty()) {
      const std::size_t s = work.back();
      work.pop_back();
      for (std::size_t from : into[s])
        if (!ends[from]) ends[from] = true, work.push_back(from);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto& st = script_.states[i];
      if (ends[i] || !st.reachable || dead_end[i] || !canonical_[i]) continue;
      diags_.report(Code::E0409, st.name.span, "once in `" + st.name.text + "`, the call can never reach a final state").hint =
          "add a transition towards a final state, or a script-wide handler such as `on hangup -> NAME`";
    }
  }

  // A cycle of eventless transitions would run forever without waiting: depth-first search on
  // the eventless edges, reporting each cycle once with its path.
  void find_eventless_cycles() {
    const auto n = script_.states.size();
    std::vector<int> color(n, 0);  // 0 new, 1 on the path, 2 done
    std::vector<std::pair<std::size_t, const T*>> path;  // (from, transition)
    using Edge = std::pair<std::size_t, const T*>;       // (to, transition)
    const auto edges = [&](std::size_t s) {
      color[s] = 1;
      std::vector<Edge> out;
      each_edge(s, true, [&](std::size_t to, const T& t) { out.emplace_back(to, &t); });
      return out;
    };
    const auto step = [&](std::size_t s, const Edge& e) -> std::optional<std::size_t> {
      path.emplace_back(s, e.second);
      if (color[e.first] == 0) return e.first;  // on the path until it is done
      if (color[e.first] == 1) report_cycle(e.first, path);
      path.pop_back();
      return std::nullopt;
    };
    const auto done = [&](std::size_t s, std::optional<std::size_t> from) {
      color[s] = 2;
      if (from) path.pop_back();
    };
    for (std::size_t root = 0; root < n; ++root)
      if (color[root] == 0) depth_first<Edge>(root, edges, step, done);
  }

  void report_cycle(std::size_t to, const std::vector<std::pair<std::size_t, const T*>>& path) {
    const auto& target = script_.states[to];
    auto& d = diags_.report(Code::E0402, target.name.span, "eventless transitions loop back to `" + target.name.text + "` without waiting");
    std::size_t first = 0;
    for (std::size_t i = path.size(); i-- > 0;)
      if (path[i].first == to) {
        first = i;
        break;
      }
    for (std::size_t i = first; i < path.size(); ++i) {
      const std::size_t next = i + 1 < path.size() ? path[i + 1].first : to;
      d.notes.push_back({path[i].second->span, "`" + script_.states[path[i].first].name.text + "` goes on to `" +
                                                   script_.states[next].name.text + "` here"});
    }
    d.hint = "make one state in the loop wait for an event or a timer";
  }

  // Flows may call flows, but not in a cycle (the call stack would grow without bound), and no
  // deeper than the session's fixed call stack.
  void check_flow_calls() {
    const auto nf = script_.flows.size();
    std::vector<int> color(nf, 0);
    std::vector<std::size_t> depth(nf, 0);  // deepest nesting of calls below the flow, itself included
    const auto calls = [&](std::size_t f) {
      color[f] = 1;
      depth[f] = 1;
      const auto& flow = script_.flows[f];
      std::vector<const T*> out;
      for (const auto& h : flow.handlers) out.push_back(&h);
      for (std::size_t s = flow.first_state; s < flow.first_state + flow.state_count; ++s)
        for (const auto& t : script_.states[s].transitions) out.push_back(&t);
      return out;
    };
    const auto step = [&](std::size_t f, const T* call) -> std::optional<std::size_t> {
      const T& t = *call;
      if (t.goes != T::Goes::Call || t.call_index < 0) return std::nullopt;
      const auto g = static_cast<std::size_t>(t.call_index);
      if (color[g] == 0) return g;  // its depth is folded into this flow's when it is done
      if (color[g] == 1)
        diags_.report(Code::E0411, t.call->span, "flow `" + script_.flows[f].name.text + "` calls `" + t.call->text + "`, which is already being called")
            .hint = "flows cannot call themselves, directly or through others: the call stack would grow forever";
      else
        depth[f] = std::max(depth[f], depth[g] + 1);
      return std::nullopt;
    };
    const auto done = [&](std::size_t f, std::optional<std::size_t> caller) {
      color[f] = 2;
      if (caller) depth[*caller] = std::max(depth[*caller], depth[f] + 1);
    };
    for (std::size_t root = 0; root < nf; ++root)
      if (color[root] == 0) depth_first<const T*>(root, calls, step, done);
    check_handler_calls();
    for (std::size_t s = 0; s < script_.states.size(); ++s) {
      if (script_.states[s].flow >= 0) continue;
      for (const auto& t : script_.states[s].transitions)
        if (t.goes == T::Goes::Call && t.call_index >= 0 && depth[static_cast<std::size_t>(t.call_index)] > bc::kMaxCallDepth)
          diags_.report(Code::E0412, t.call->span, "this call nests flows " + std::to_string(depth[static_cast<std::size_t>(t.call_index)]) +
                                                       " deep; a call can nest at most " + std::to_string(bc::kMaxCallDepth))
              .hint = "flatten the flows: let a flow return before the next one is called";
    }
  }

  // A script-wide handler applies inside flows too: one that calls a flow would call it again
  // from inside it (and from inside every flow it calls), nesting until the stack is full, unless
  // each of those flows handles the event itself with an unguarded handler of its own.
  void check_handler_calls() {
    for (const auto& h : script_.handlers) {
      if (h.goes != T::Goes::Call || h.call_index < 0 || h.event_index < 0) continue;
      std::vector<bool> seen(script_.flows.size(), false);
      std::vector<std::size_t> work{static_cast<std::size_t>(h.call_index)};
      seen[work[0]] = true;
      while (!work.empty()) {
        const std::size_t f = work.back();
        work.pop_back();
        const auto& flow = script_.flows[f];
        const bool overridden = std::any_of(flow.handlers.begin(), flow.handlers.end(),
                                            [&](const T& o) { return o.event_index == h.event_index && !o.guard; });
        if (!overridden) {
          diags_.report(Code::E0411, h.call->span, "this script-wide handler also applies inside flow `" + flow.name.text + "`, where it would call `" +
                                                       h.call->text + "` again")
              .hint = "give flow `" + flow.name.text + "` its own `on " + h.event.text + " ...` handler, which takes precedence inside it";
          break;
        }
        const auto visit = [&](const T& t) {
          if (t.goes == T::Goes::Call && t.call_index >= 0 && !seen[static_cast<std::size_t>(t.call_index)])
            seen[static_cast<std::size_t>(t.call_index)] = true, work.push_back(static_cast<std::size_t>(t.call_index));
        };
        for (const auto& t : flow.handlers) visit(t);
        for (std::size_t s = flow.first_state; s < flow.first_state + flow.state_count; ++s)
          for (const auto& t : script_.states[s].transitions) visit(t);
      }
    }
  }

  ast::Script& script_;
  Diagnostics& diags_;
  StateGraph edges_;
  std::vector<bool> canonical_;
};

}  // namespace

void check_graph(ast::Script& script, Diagnostics& diags, bool had_errors) { Graph(script, diags).run(had_errors); }

}  // namespace callscript::sema
