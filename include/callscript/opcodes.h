// The one opcode table. Everything that knows about opcodes -- the enum, the names, the operand
// shapes, the stack effects, the verifier's walk and the disassembler -- is generated from it.
//
// An instruction is one opcode byte followed by its operands, little-endian:
//
//   None   [op]
//   U8     [op][a:8]
//   U16    [op][a:16]
//   I32    [op][a:32 signed]
//
// Code comes in blocks: a state's entry actions, a transition's guard, a transition's actions.
// Every block ends with Ret; there are no jumps, so a block is verified by one linear walk that
// tracks the type of every stack slot. A guard block leaves exactly one bool; an action block
// leaves nothing.
#pragma once

#include <cstdint>

// OP(name, operand shape, pops, pushes, what it does)
#define CALLSCRIPT_OPCODES(OP)                                                                    \
  OP(PushInt, I32, 0, 1, "push the integer a")                                                   \
  OP(PushBool, U8, 0, 1, "push true if a != 0, else false")                                     \
  OP(PushStr, U16, 0, 1, "push the text strings[a]")                                            \
  OP(Load, U16, 0, 1, "push the value of slot a (text, int or bool by the slot's type)")        \
  OP(Store, U16, 1, 0, "pop a value into slot a; its type is the slot's")                       \
  OP(Not, None, 1, 1, "bool -> bool")                                                            \
  OP(And, None, 2, 1, "bool bool -> bool (both sides are pure, so eager is exact)")             \
  OP(Or, None, 2, 1, "bool bool -> bool")                                                        \
  OP(Eq, None, 2, 1, "x x -> bool, both of one type")                                            \
  OP(Ne, None, 2, 1, "x x -> bool, both of one type")                                            \
  OP(Lt, None, 2, 1, "int int -> bool")                                                          \
  OP(Le, None, 2, 1, "int int -> bool")                                                          \
  OP(Gt, None, 2, 1, "int int -> bool")                                                          \
  OP(Ge, None, 2, 1, "int int -> bool")                                                          \
  OP(Add, None, 2, 1, "int int -> int, wrapping; emitted as written, nothing folded")            \
  OP(Sub, None, 2, 1, "int int -> int, wrapping; -x is 0 x Sub, -5 one PushInt")                 \
  OP(Say, U16, 0, 0, "append prompts[a] to the current prompt")                                 \
  OP(Emit, U16, 0, 0, "queue effects[a], popping its argc argument values (first arg deepest)") \
  OP(SlaStart, U16, 0, 0, "(re)start slas[a] from now")                                         \
  OP(SlaStop, U16, 0, 0, "stop slas[a]; a stopped SLA never breaches")                          \
  OP(WorkingTime, None, 0, 1, "push true when now is in the calendar's working time")           \
  OP(Ret, None, 0, 0, "end of the block")

namespace callscript::bc {

enum class Operand : std::uint8_t { None, U8, U16, I32 };

enum class Op : std::uint8_t {
#define CALLSCRIPT_OP_ENUM(name, shape, pops, pushes, doc) name,
  CALLSCRIPT_OPCODES(CALLSCRIPT_OP_ENUM)
#undef CALLSCRIPT_OP_ENUM
};

struct OpInfo {
  const char* name;
  Operand operand;
  std::uint8_t pops;  // Emit pops a variable count, given by its effect; the table says 0
  std::uint8_t pushes;
  const char* doc;
};

inline constexpr OpInfo kOpInfo[] = {
#define CALLSCRIPT_OP_INFO(name, shape, pops, pushes, doc) {#name, Operand::shape, pops, pushes, doc},
    CALLSCRIPT_OPCODES(CALLSCRIPT_OP_INFO)
#undef CALLSCRIPT_OP_INFO
};

inline constexpr std::size_t kOpCount = sizeof(kOpInfo) / sizeof(kOpInfo[0]);

constexpr std::size_t operand_size(Operand o) {
  switch (o) {
    case Operand::None: return 0;
    case Operand::U8: return 1;
    case Operand::U16: return 2;
    case Operand::I32: return 4;
  }
  return 0;
}

}  // namespace callscript::bc
