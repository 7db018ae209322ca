#!/usr/bin/env python3
"""Writes a large, realistic call script that compiles clean, for measuring how the compiler scales.

    gen_script.py STATES OUT_DIR

OUT_DIR gets main.call (the script), lib_N.call (libraries it imports) and calendar.yaml. The
script has about STATES states, counting every `state` and `final` of the script and of the
libraries' flows it calls. It is built of the same parts as the examples, repeated with their
own names and prompts, so that every stage and every check of the compiler has work to do:

- a tree of menus (8 choices each) leading to business sections, and back to the top;
- each section: an `ask` with reprompts and a `max`, restating, identity verification (`slot
  verified: bool identity`, in a flow of the section's in a library) before private data from
  the CRM is said behind `when verified` (E0434), data the caller gave read back, a lookup in
  another flow of its own, a ticket whose promised time is backed by an SLA (`sla progress:
  2 workdays promise`, E0437), an urgent branch with a wall-time promise, timers in wall and
  business time, eventless transitions, and the closing questionnaire;
- shared flows called from every section (`hold`, `calm`, the `survey` questionnaire, E0435),
  script-wide and flow handlers, SLA breaches that move the case on, phrases from the
  libraries, effects with pii arguments.

The calendar is written beside the script, since business time needs one. No campaign: a script
with one is a revisit, which may promise nothing (E0438), and the promises are the point here.
"""

import os
import sys

SECTIONS_PER_LIBRARY = 120
MENU_FANOUT = 8

CALENDAR = """\
name: 测试工作日历
time_zone: Asia/Shanghai
working_hours: [ "09:00-12:00", "13:30-18:00" ]
weekend: [sat, sun]
holidays: [2025-01-01, "2025-01-28..2025-02-04"]
makeup_workdays: [2025-01-26, 2025-02-08]
range: {from: 2025-01-01, to: 2025-12-31}
"""

# Chinese numerals keep the prompts varied the way real ones are, without promising anything.
DIGITS = "零一二三四五六七八九"


def topic(k):
    return "第" + "".join(DIGITS[int(c)] for c in str(k)) + "类业务"


# States per section: in the script, and in the section's flow in a library.
SECTION_STATES = 9
SECTION_FLOW_STATES = 8


def section(k, parent_menu):
    """The top-level states of business section k."""
    t = topic(k)
    p = f"s{k}_"
    return f"""
  // {t}: the need, then identity when the account is touched.
  state {p}need {{
    say "关于{t}，请问您具体想咨询什么问题呢？"
    ask need {{
      noinput "您好，关于{t}，请问您想咨询什么？"
      nomatch "很抱歉，请您再说一遍您的问题。"
      max 3 -> no_voice_bye
      filled -> {p}restate
    }}
    on account_related -> call {p}identity then {p}classify
    on emotional -> call calm
    on back -> {parent_menu}
  }}

  state {p}restate {{
    say "您的意思是，{{need}}，对吗？"
    on confirmed -> {p}classify
    on corrected -> {p}need
  }}

  state {p}classify {{
    say "请问{t}的这个问题需要立即处理吗？"
    on simple -> call hold then {p}answer
    on complex -> call {p}lookup then {p}ticket
    on account_detail when verified -> {p}account
    on urgent -> {p}urgent
    on emotional -> call calm
  }}

  state {p}account {{
    say "{{customer_name}}，您{t}账户的详细信息已发送到您预留的号码{{phone_on_file}}。"
    emit send_details(name: customer_name, kind: "{t}")
    -> {p}anything_else
  }}

  state {p}answer {{
    say "感谢您的耐心等待。{t}的这个问题，我为您查询到详细说明如下。"
    -> {p}anything_else
  }}

  state {p}ticket {{
    emit create_ticket(kind: "{t}", need: need, due_hours: due_hours, verified: verified)
    on ticket_created when ticket_no != "" {{ start progress }} -> {p}tell_ticket
    after 1 workhour -> handling
  }}

  state {p}tell_ticket {{
    say "已为您创建{t}工单，编号为{{ticket_no}}，我们将在2个工作日内联系您反馈处理进展。"
    -> {p}anything_else
  }}

  state {p}urgent {{
    emit start_emergency(kind: "{t}", need: need)
    say "{t}的紧急问题已为您上报，工程师将在30分钟内与您联系。"
    start engineer_call
    on confirmed -> {p}anything_else
  }}

  state {p}anything_else {{
    say "关于{t}，您还有其他需要帮助的地方吗？"
    on more_needs {{ set need = "" }} -> menu_0
    on no_more -> call survey then closing
    on emotional -> call calm
  }}
"""


def section_flows(k):
    """The flows of section k, kept in a library: identity verification and the lookup."""
    t = topic(k)
    p = f"s{k}_"
    return f"""
  // Identity before private data: the caller's name and order are said only once verified.
  flow {p}identity {{
    on emotional -> call calm

    state verify {{
      say verify_identity
      ask customer_name, order_tail {{
        nomatch "很抱歉，请您再说一遍。"
        noinput "您好，现在可能是因为线路原因，我这里听不到您那边的声音。"
        max 3 -> unverified
        filled -> verifying
      }}
    }}
    // Read back before verification: the caller has just given it (an ask filled on every path).
    state verifying {{
      say "您提供的订单尾号是{{order_tail}}，请您稍等一下，我帮您核实{t}的账户信息。"
      on identity_confirmed {{ set verified = true emit verify_account(order_tail: order_tail) }} -> verified
      on identity_failed -> unverified
      after 2m -> unverified
    }}
    state unverified {{
      say "很抱歉，暂时无法核实您的身份，我们先为您处理{t}的一般问题。"
      on confirmed -> return
      on callback_requested {{ emit schedule_callback(reason: "unverified") }} -> return
    }}
    state verified {{
      say "{{customer_name}}，感谢您的配合，您尾号{{order_tail}}的订单已查询到。"
      -> return
    }}
  }}
  flow s{k}_lookup {{
    on hangup -> abandoned
    on emotional -> call calm

    state search {{
      say "请您稍等，我帮您查询{t}的处理记录。"
      on answer_found -> return
      after 2m -> search_more
    }}
    state search_more {{
      say "感谢您的耐心等待，{t}的记录还在查询中。"
      on answer_found -> return
      on not_found -> escalate
    }}
    state escalate {{
      emit escalate_case(level: "{t}")
      say "{t}的问题需要专家进一步核实。"
      on confirmed -> return
      after 4 workhours -> remind
    }}
    state remind {{
      say "{t}的核实仍在进行，请您继续保持电话畅通。"
      on confirmed -> return
    }}
  }}
"""


def menu(i, children, parent):
    """Menu i, with its children: `("menu", j)` or `("section", k)`."""
    lines = [f"  state menu_{i} {{", f"    say \"请问您要办理哪一类业务？这是第{i + 1}组选项。\""]
    for c, (kind, j) in enumerate(children):
        target = f"menu_{j}" if kind == "menu" else f"s{j}_need"
        lines.append(f"    on choice_{c + 1} -> {target}")
    lines.append("    on repeat -> menu_" + str(i))
    if parent is not None:
        lines.append(f"    on back -> menu_{parent}")
    lines.append("    after 30s -> menu_timeout")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def menu_levels(sections):
    """How many menus each level of the tree has, the level just above the sections first."""
    sizes, n = [], sections
    while True:
        n = (n + MENU_FANOUT - 1) // MENU_FANOUT
        sizes.append(n)
        if n == 1:
            return sizes


def build_menus(sections):
    """A tree of menus over the sections, MENU_FANOUT choices each, numbered from the root
    (menu_0): a (children, parent) pair per menu, each child ("menu", j) or ("section", k), and
    the menu each section is chosen in."""
    sizes = menu_levels(sections)
    first, next_id = {}, 0  # the number of each level's first menu
    for level in reversed(range(len(sizes))):
        first[level], next_id = next_id, next_id + sizes[level]
    menus = []
    for level in reversed(range(len(sizes))):
        below = sections if level == 0 else sizes[level - 1]
        for g in range(sizes[level]):
            parent = first[level + 1] + g // MENU_FANOUT if level + 1 < len(sizes) else None
            kids = range(g * MENU_FANOUT, min(below, (g + 1) * MENU_FANOUT))
            children = [("section", k) for k in kids] if level == 0 else [("menu", first[level - 1] + c) for c in kids]
            menus.append((children, parent))
    return menus, {k: first[0] + k // MENU_FANOUT for k in range(sections)}


# States outside sections and menus: ringing, greet, after_hours, menu_timeout, handling,
# escalation, engineer_chase, closing, 6 finals; hold (2), calm (2), survey (3).
FIXED_STATES = 14 + 7


def sections_for(states):
    k = 1
    while (k + 1) * (SECTION_STATES + SECTION_FLOW_STATES) + sum(menu_levels(k + 1)) + FIXED_STATES <= states:
        k += 1
    return k


def shared_library():
    return """// The shared library: standard phrases and the flows every section calls.
library shared {
  phrase greeting "您好，客服很高兴为您服务，工号是{agent_id}，请问有什么可以帮您？"
  phrase verify_identity "请问如何称呼您？为了保证信息安全，能否提供一下您的注册手机号/订单后四位？"
  phrase closing "感谢您的来电，祝您生活愉快，再见！"
  phrase no_voice "抱歉，我这里听不到您声音，我们将改日与您联系，再见！"

  event answer_found "查询到答案"
  event calmed "客户情绪平稳"

  flow hold {
    state wait {
      say "请您稍等，我帮您查询。"
      on answer_found -> return
      after 2m -> wait_more
    }
    state wait_more {
      say "感谢您的耐心等待。请您稍等，我帮您查询。"
      on answer_found -> return
    }
  }

  flow calm {
    on hangup -> hung_up_upset
    on emotional -> soothe_again
    state soothe {
      say "我理解您现在的心情，请您先冷静一下，我会认真倾听并全力帮您解决，好吗？"
      on calmed -> return
    }
    state soothe_again {
      say "非常理解您的感受，请您别着急，我们会认真为您处理。"
      on calmed -> return
    }
  }

  flow survey questionnaire {
    on hangup -> interrupted
    state q_overall {
      say "请问您对本次服务是否满意？"
      ask rated_service {
        noinput "请问您对本次服务是否满意？"
        nomatch "跟您再确认一下，您对本次服务是否满意？"
        max 3 -> unanswered
        filled { set answered = 1 } -> q_speed
      }
    }
    state q_speed {
      say "请问您对处理速度是否满意？"
      ask rated_speed {
        noinput "请问您对处理速度是否满意？"
        max 3 -> unanswered
        filled { set answered = 2 } -> q_recommend
      }
    }
    state q_recommend {
      say "您是否愿意向朋友推荐我们的服务？"
      ask recommends {
        noinput "您是否愿意向朋友推荐我们的服务？"
        max 3 -> unanswered
        filled { set answered = 3 } -> return
      }
    }
  }
}
"""


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_script.py STATES OUT_DIR")
    states, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    sections = sections_for(states)
    menus, section_parent = build_menus(sections)
    libraries = (sections + SECTIONS_PER_LIBRARY - 1) // SECTIONS_PER_LIBRARY

    with open(os.path.join(out, "calendar.yaml"), "w", encoding="utf-8") as f:
        f.write(CALENDAR)
    with open(os.path.join(out, "shared.call"), "w", encoding="utf-8") as f:
        f.write(shared_library())
    for lib in range(libraries):
        with open(os.path.join(out, f"lib_{lib}.call"), "w", encoding="utf-8") as f:
            f.write(f"// The flows of sections {lib * SECTIONS_PER_LIBRARY} on.\nlibrary sections_{lib} {{\n")
            f.write('  import "shared.call"\n')
            for k in range(lib * SECTIONS_PER_LIBRARY, min(sections, (lib + 1) * SECTIONS_PER_LIBRARY)):
                f.write(section_flows(k))
            f.write("}\n")

    parts = [f"""// Generated by tests/scale/gen_script.py: {sections} sections, {len(menus)} menus.
script big "大型综合来电" {{
  locale "zh-CN"
  channel phone
  calendar "calendar.yaml"
  import "shared.call"
"""]
    parts += [f'  import "lib_{lib}.call"\n' for lib in range(libraries)]
    parts.append("""
  slot agent_id: digits host = "1024"
  slot verified: bool identity = false
  slot customer_name: text pii
  slot order_tail: digits(4) pii
  slot phone_on_file: phone pii host   // from the CRM: said only to a verified caller
  slot need: text
  slot ticket_no: text host
  slot due_hours: number = 24
  slot level: enum(front_line, supervisor, expert) = front_line
  slot rated_service: bool
  slot rated_speed: bool
  slot recommends: bool
  slot answered: number = 0

  event pick_up "接听"
  event hangup "客户挂机"
  event no_voice "听不到客户声音"
  event emotional "客户情绪激动"
  event account_related "涉及账户或隐私信息"
  event account_detail "查询账户明细"
  event identity_confirmed "身份核实通过"
  event identity_failed "身份核实未通过"
  event callback_requested "客户要求回电"
  event confirmed "客户确认"
  event corrected "客户更正"
  event simple "简单问题"
  event complex "复杂问题"
  event urgent "紧急问题"
  event not_found "未查询到记录"
  event ticket_created "工单已创建"
  event progress_reported "已反馈处理进展"
  event engineer_called "工程师已联系客户"
  event escalate "升级处理"
  event more_needs "还有其他需求"
  event no_more "没有其他需求"
  event unrelated "与本次来电无关的咨询"
  event repeat "重听菜单"
  event back "返回上级菜单"
""")
    parts += [f'  event choice_{c} "选项{c}"\n' for c in range(1, MENU_FANOUT + 1)]
    parts.append("""
  effect verify_account(order_tail: digits pii)
  effect send_details(name: text pii, kind: text)
  effect create_ticket(kind: text, need: text, due_hours: number, verified: bool)
  effect start_emergency(kind: text, need: text)
  effect escalate_case(level: text)
  effect notify_supervisor(reason: text)
  effect refer_inquiry(need: text)
  effect schedule_callback(reason: text)
  effect log_call(outcome: text, answered: number)

  sla soothe: 5m { emit notify_supervisor(reason: "soothe_overdue") }
  sla progress: 2 workdays promise { emit notify_supervisor(reason: "progress_overdue") } -> escalation
  sla engineer_call: 30m promise { emit notify_supervisor(reason: "engineer_call_overdue") } -> engineer_chase

  on hangup -> abandoned
  on no_voice -> no_voice_bye
  on unrelated {
    say "您咨询的问题，我帮您记录下来，转交相关同事处理。"
    emit refer_inquiry(need: need)
  }

  state ringing {
    on pick_up { start soothe } -> greet
  }

  state greet {
    say greeting
    stop soothe
    when working_time -> menu_0
    -> after_hours
  }

  state after_hours {
    say "现在是非工作时间，我们将在工作时间为您回电。"
    on callback_requested { emit schedule_callback(reason: "after_hours") } -> closing
    on repeat -> menu_0
  }

  state menu_timeout {
    say "抱歉，没有听到您的选择。"
    on repeat -> menu_0
  }

  // Between calls: progress is reported, or the case goes up a level.
  state handling {
    on progress_reported { stop progress }
    on escalate when level != expert -> escalation
    on confirmed -> closing
  }

  state escalation {
    when level == front_line { set level = supervisor emit escalate_case(level: "supervisor") } -> handling
    { set level = expert emit escalate_case(level: "expert") } -> handling
  }

  state engineer_chase {
    on engineer_called { stop engineer_call } -> handling
    after 6m -> handling
  }

  state closing {
    say closing
    on hangup -> completed
  }

  final completed: resolved { emit log_call(outcome: "resolved", answered: answered) }
  final abandoned: abandoned { emit log_call(outcome: "abandoned", answered: answered) }
  final hung_up_upset: abandoned { emit notify_supervisor(reason: "hung_up_upset") }
  final interrupted: interrupted { emit log_call(outcome: "interrupted", answered: answered) }
  final unanswered: interrupted { emit log_call(outcome: "unanswered", answered: answered) }
  final no_voice_bye: no_contact {
    say no_voice
    emit schedule_callback(reason: "no_voice")
  }
""")
    for i, (children, parent) in enumerate(menus):
        parts.append(menu(i, children, parent))
    for k in range(sections):
        parts.append(section(k, f"menu_{section_parent[k]}"))
    parts.append("}\n")
    with open(os.path.join(out, "main.call"), "w", encoding="utf-8") as f:
        f.write("".join(parts))
    total = sections * (SECTION_STATES + SECTION_FLOW_STATES) + len(menus) + FIXED_STATES
    print(f"{total} states: {sections} sections, {len(menus)} menus, {libraries} libraries")


if __name__ == "__main__":
    main()
