// The callscript grammar. The parser is generated from this file at build time; the parse tree
// never leaves lib/syntax, which turns it into the AST. See grammar/REFERENCE.md for the
// language and grammar/ERRORS.md for every diagnostic.
grammar CallScript;

file        : (script | library) EOF ;

script      : 'script' name=IDENT title=STRING? '{' item* '}' ;

// Declarations that several scripts share, brought in with `import "PATH"`: phrases, slots,
// events, effects and flows (the import stage refuses anything else, E0432).
library     : 'library' name=IDENT '{' item* '}' ;

item        : 'title' STRING                                    # titleItem
            | 'locale' STRING                                   # localeItem
            | 'channel' IDENT                                   # channelItem
            | 'slot' IDENT ':' type pii='pii'? host='host'? identity='identity'? ('=' expr)? # slotItem
            | 'event' qname STRING?                             # eventItem
            | 'effect' IDENT '(' (param (',' param)*)? ')'      # effectItem
            | 'start' IDENT                                     # startItem
            | 'calendar' STRING                                 # calendarItem
            | 'import' STRING                                   # importItem
            | 'phrase' IDENT STRING                             # phraseItem
            | sla                                               # slaItem
            | transition                                        # handlerItem
            | state                                             # stateItem
            | flow                                              # flowItem
            | campaign                                          # campaignItem
            ;

// A sub-dialogue (VoiceXML's subdialog, ink's tunnel): entered with `-> call NAME`, left with
// `-> return`. Its states are its own; the first is where it starts.
// Handlers written inside a flow apply to its states, before the script-wide ones.
// `questionnaire`: its asking states are questions, asked in the order written (E0435).
flow        : 'flow' IDENT questionnaire='questionnaire'? '{' (transition | state)* '}' ;

// An SLA timer (`sla progress: 2 workdays promise { ... } -> escalate`): started and stopped by
// the `start` / `stop` actions, it lives across states and flows; the block and the arrow are
// its breach handler. `promise`: it backs a promise to the customer, so it fires at 80 %.
sla         : 'sla' IDENT ':' duration promise='promise'? block? arrow? ;

// A retry campaign for outbound calls (呼出操作手册规范篇): how often and how long to dial each of the
// customer's numbers, and what each dial outcome means. The compiler lowers it into states,
// counters and timers; `-> NAME` starts it, `-> NAME failed "REASON"` reports a failure from a
// state reached after the call was answered (本人不在, 提前挂机, 不方便接听). `fail` and `failed`
// are words of these two forms only, not keywords: a state may still be called `failed`.
//   numbers: SLOT                      how many numbers the task has (up to 4 are dialed)
//   passes: N | SLOT { MEMBER: N, ... } attempts, fixed or per revisit type
//   interval: DURATION                 between passes
//   ring: N EVENT or DURATION          the ring limit: the N-th EVENT, or DURATION unanswered
//   hours: calendar                    dial only in the calendar's working time
campaign    : 'campaign' IDENT '{' campaignClause* '}' ;
campaignClause
            : key=IDENT ':' campaignValue                       # settingClause
            | 'on' qname word=IDENT STRING                      # failClause
            | 'on' qname block? arrow                           # connectClause
            | key=IDENT block? arrow                            # exitClause
            ;
campaignValue
            : INT qname 'or' DURATION                           # ringValue
            | INT                                               # countValue
            | DURATION                                          # intervalValue
            | 'calendar'                                        # calendarValue
            | IDENT ('{' passCount (',' passCount)* '}')?       # slotValue
            ;
passCount   : IDENT ':' INT ;

duration    : DURATION                                          # wallDuration
            | INT unit=('workdays' | 'workday' | 'workhours' | 'workhour') # businessDuration
            ;

type        : 'text'                                            # textType
            | 'digits' ('(' INT ')')?                           # digitsType
            | 'number'                                          # numberType
            | 'bool'                                            # boolType
            | 'enum' '(' IDENT (',' IDENT)* ')'                 # enumType
            | IDENT                                             # namedType
            ;

state       : 'state' IDENT '{' member* '}'                     # plainState
            | 'final' IDENT ':' outcome=IDENT ('{' action* '}')? # finalState
            ;

member      : action | transition | ask ;

// Slot filling, VoiceXML's field: the host's input for these slots is checked by type; a bad
// value is a nomatch. Reprompts escalate line by line; after `max` failures, the arrow.
ask         : 'ask' IDENT (',' IDENT)* '{' askItem* '}' ;
askItem     : 'noinput' STRING                                  # noinputItem
            | 'nomatch' STRING                                  # nomatchItem
            | 'max' INT block? arrow                            # maxItem
            | 'filled' guard? block? arrow?                     # filledItem
            ;

// A transition's actions sit in braces, so they never run together with the state's own
// entry actions that follow it.
transition  : 'on' qname guard? block? arrow?                   # onTransition
            | 'after' duration guard? block? arrow?             # afterTransition
            | 'when' expr block? arrow?                         # whenTransition
            | block? arrow                                      # alwaysTransition
            ;

guard       : 'when' expr ;
block       : '{' action* '}' ;
arrow       : '->' target ;
target      : IDENT                                             # stateTarget
            | 'return'                                          # returnTarget
            | 'call' flowName=IDENT ('then' then=IDENT)?        # callTarget
            | campaignName=IDENT word=IDENT STRING              # failedTarget
            ;

action      : 'say' STRING                                      # sayAction
            | 'say' IDENT                                       # sayPhraseAction
            | 'set' IDENT '=' expr                              # setAction
            | 'emit' IDENT '(' (arg (',' arg)*)? ')'            # emitAction
            | 'start' IDENT                                     # startAction
            | 'stop' IDENT                                      # stopAction
            ;

arg         : IDENT ':' expr ;

// An effect's argument: its type, and `pii` when it may carry private data to the host.
param       : IDENT ':' kind=('text' | 'digits' | 'number' | 'bool') pii='pii'? ;

qname       : IDENT ('.' IDENT)* ;

// Precedence, tightest first: unary minus, + -, comparisons, == !=, not, and, or. `not` binds
// looser than comparisons, so `not rings < 3` means `not (rings < 3)`.
expr        : '(' expr ')'                                      # parenExpr
            | '-' expr                                          # negExpr
            | expr op=('+' | '-') expr                          # addExpr
            | expr op=('<' | '<=' | '>' | '>=') expr            # compareExpr
            | expr op=('==' | '!=') expr                        # equalExpr
            | 'not' expr                                        # notExpr
            | expr 'and' expr                                   # andExpr
            | expr 'or' expr                                    # orExpr
            | INT                                               # intExpr
            | STRING                                            # stringExpr
            | ('true' | 'false')                                # boolExpr
            | qname                                             # nameExpr
            ;

DURATION    : [0-9]+ ('ms' | 's' | 'm' | 'h' | 'd') ;
INT         : [0-9]+ ;
IDENT       : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING      : '"' (ESCAPE | ~["\\\r\n])* '"' ;
// A string that reaches the end of the line; the AST builder reports it as unterminated.
OPEN_STRING : '"' (ESCAPE | ~["\\\r\n])* ;
fragment ESCAPE : '\\' . ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
// U+3000 (ideographic space) and U+FEFF (a byte-order mark) are whitespace too.
WS            : [ \t\r\n\u3000\uFEFF]+ -> skip ;
// Anything else becomes a token of its own, so the lexer never fails and the parser reports it.
BAD_CHAR      : . ;
