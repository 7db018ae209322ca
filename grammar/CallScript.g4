// The callscript grammar. The parser is generated from this file at build time; the parse tree
// never leaves lib/syntax, which turns it into the AST. See grammar/REFERENCE.md for the
// language and grammar/ERRORS.md for every diagnostic.
grammar CallScript;

file        : script EOF ;

script      : 'script' name=IDENT title=STRING? '{' item* '}' ;

item        : 'title' STRING                                    # titleItem
            | 'locale' STRING                                   # localeItem
            | 'channel' IDENT                                   # channelItem
            | 'slot' IDENT ':' type pii='pii'? ('=' expr)?      # slotItem
            | 'event' qname STRING?                             # eventItem
            | 'effect' IDENT '(' (param (',' param)*)? ')'      # effectItem
            | 'start' IDENT                                     # startItem
            | transition                                        # handlerItem
            | state                                             # stateItem
            | flow                                              # flowItem
            ;

// A sub-dialogue (VoiceXML's subdialog, ink's tunnel): entered with `-> call NAME`, left with
// `-> return`. Its states are its own; the first is where it starts.
flow        : 'flow' IDENT '{' state* '}' ;

type        : 'text'                                            # textType
            | 'digits' ('(' INT ')')?                           # digitsType
            | 'number'                                          # numberType
            | 'bool'                                            # boolType
            | 'enum' '(' IDENT (',' IDENT)* ')'                 # enumType
            ;

state       : 'state' IDENT '{' member* '}'                     # plainState
            | 'final' IDENT ':' outcome=IDENT ('{' action* '}')? # finalState
            ;

member      : action | transition ;

// A transition's actions sit in braces, so they never run together with the state's own
// entry actions that follow it.
transition  : 'on' qname guard? block? arrow?                   # onTransition
            | 'after' DURATION guard? block? arrow?             # afterTransition
            | 'when' expr block? arrow?                         # whenTransition
            | block? arrow                                      # alwaysTransition
            ;

guard       : 'when' expr ;
block       : '{' action* '}' ;
arrow       : '->' target ;
target      : IDENT                                             # stateTarget
            | 'return'                                          # returnTarget
            | 'call' flowName=IDENT ('then' then=IDENT)?        # callTarget
            ;

action      : 'say' STRING                                      # sayAction
            | 'set' IDENT '=' expr                              # setAction
            | 'emit' IDENT '(' (arg (',' arg)*)? ')'            # emitAction
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
            | IDENT                                             # nameExpr
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
