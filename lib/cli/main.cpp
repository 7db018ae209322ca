// callc: the authors' tool. Exit codes: 0 ok, 1 the input has errors, 2 usage or I/O error.
#include "cli/calendar_info.h"
#include "cli/lint_command.h"
#include "cli/files.h"
#include "cli/simulator.h"
#include "text/text.h"
#include "transcript/transcript.h"

#include <callscript/bytecode.h>
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/string_table.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cs = callscript;

namespace {

constexpr int kOk = 0, kInputErrors = 1, kUsage = 2;

struct Command {
  const char* name;
  const char* usage;
  const char* help;
  int (*run)(const std::vector<std::string>& args);
};

const std::vector<Command>& commands();

int usage_error(const std::string& message) {
  std::cerr << "callc: " << message << "\n(try `callc --help`)\n";
  return kUsage;
}

bool read_file(const std::string& path, std::string& out) {
  std::string error;
  if (!cs::text::read_file(path, out, error)) {
    std::cerr << "callc: cannot read " << path << ": " << error << "\n";
    return false;
  }
  return true;
}

bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  // Write to a temporary and rename, so a failed build never leaves half a file behind.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())) || !out.flush()) {
      std::cerr << "callc: cannot write " << path << ": " << std::strerror(errno) << "\n";
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::cerr << "callc: cannot write " << path << ": " << std::strerror(errno) << "\n";
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

// Options shared by the commands: --format, --color, -o, --events, --strings.
struct Options {
  std::vector<std::string> files;
  std::string format = "human";
  std::string color = "auto";
  std::string output;
  std::string events;
  std::string start;  // callc run: where the virtual clock starts
  std::string today;  // the date W0003 and run's default start count from (YYYY-MM-DD)
  std::string strings;  // a string table to apply to the script
  std::string error;
  struct {
    std::optional<std::chrono::sys_days> today;  // check and build: for W0003
  } compile;
};

Options parse_options(const std::vector<std::string>& args, std::initializer_list<std::string_view> allowed) {
  Options o;
  auto allow = [&](std::string_view f) { return std::find(allowed.begin(), allowed.end(), f) != allowed.end(); };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& into) {
      if (const auto eq = a.find('='); eq != std::string::npos) into = a.substr(eq + 1);
      else if (i + 1 < args.size()) into = args[++i];
      else o.error = "option " + a + " needs a value";
    };
    const std::string flag = a.substr(0, a.find('='));
    if (a.size() > 1 && a[0] == '-' && !allow(flag)) o.error = "unknown option " + flag;
    else if (flag == "--format") value(o.format);
    else if (flag == "--color") value(o.color);
    else if (flag == "-o" || flag == "--output") value(o.output);
    else if (flag == "--events") value(o.events);
    else if (flag == "--strings") value(o.strings);
    else if (flag == "--start") value(o.start);
    else if (flag == "--today") value(o.today);
    else o.files.push_back(a);
    if (!o.error.empty()) break;
  }
  if (o.error.empty() && o.format != "human" && o.format != "json") o.error = "--format is human or json";
  if (o.error.empty() && o.color != "auto" && o.color != "always" && o.color != "never") o.error = "--color is auto, always or never";
  if (o.error.empty() && !o.today.empty() && !cs::text::parse_date(o.today)) o.error = "--today is a date like 2026-12-03";
  return o;
}

// --today, else the system clock's date in UTC.
std::chrono::sys_days today(const Options& o) {
  if (auto d = cs::text::parse_date(o.today)) return *d;
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

// `check` and `build` say which days the calendar a script names covers (past them no holiday
// is known); W0003 comes with the diagnostics when that is too few.
void print_calendar_range(const std::string& path, const cs::bc::Image& image, const Options& o) {
  if (image.calendar.empty() || o.format == "json") return;
  const cs::CalendarLoad loaded = cs::BusinessCalendar::from_bytes(image.calendar);
  if (loaded.calendar) std::cout << path << ": calendar covers " << cs::cli::calendar_range(*loaded.calendar) << "\n";
}

// NO_COLOR (no-color.org) wins over everything, --color always included.
bool use_color(const Options& o) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  if (o.color == "always") return true;
  if (o.color == "never") return false;
  return isatty(fileno(stderr));
}

// One compiled file; the source outlives its diagnostics, which point into it.
struct Compiled {
  std::unique_ptr<cs::SourceFile> source;
  std::unique_ptr<cs::Diagnostics> diags;
  std::optional<cs::bc::Image> image;
  bool io_error = false;
};

void print_human(const cs::Diagnostics& diags, const std::string& path, const Options& o);
Compiled prove_bytecode(const std::string& path, const std::string& bytes, const Options& o, Compiled* table);

void print_human(const cs::Diagnostics& diags, const std::string& path, const Options& o) {
  if (o.format == "json") return;
  std::cerr << cs::render_human(diags, {use_color(o)});
  if (diags.error_count() || diags.warning_count()) {
    std::cerr << path << ": " << diags.error_count() << (diags.error_count() == 1 ? " error" : " errors") << ", "
              << diags.warning_count() << (diags.warning_count() == 1 ? " warning" : " warnings") << "\n";
  }
}

// The string table of --strings, read once: its own problems are S-codes in its diagnostics.
Compiled read_table(const std::string& path) {
  Compiled t;
  std::string text;
  if (!read_file(path, text)) {
    t.io_error = true;
    return t;
  }
  t.source = std::make_unique<cs::SourceFile>(path, std::move(text));
  t.diags = std::make_unique<cs::Diagnostics>(*t.source);
  return t;
}

// Compiles the source `text` of file `path`, with the string table `table` applied before the
// proofs when given; prints its diagnostics (and the table's) unless they are wanted as JSON (the
// caller then prints every file's in one array). A .callbc is loaded and proved instead.
Compiled compile_text(const std::string& path, std::string text, const Options& o, Compiled* table = nullptr) {
  Compiled c;
  if (cs::bc::has_bytecode_magic(text)) return prove_bytecode(path, text, o, table);
  c.source = std::make_unique<cs::SourceFile>(path, std::move(text));
  c.diags = std::make_unique<cs::Diagnostics>(*c.source);
  cs::FileSourceProvider files;
  std::optional<cs::StringsToApply> strings;
  if (table) strings.emplace(cs::StringsToApply{*table->source, *table->diags});
  // The promise words of the callscript.yaml that governs the script, as the linter reads them.
  static cs::cli::Configs configs(use_color(o));
  const cs::lint::Config* config = configs.for_script(path, "");
  if (!config) {
    c.io_error = true;
    return c;
  }
  c.image = cs::compile(*c.source, *c.diags,
                        {.sources = files, .strings = strings ? &*strings : nullptr,
                         .revisit_promise_words = config->promise_words.words,
                         .revisit_promise_near_misses = config->promise_words.allow,
                         .today = o.compile.today});
  if (table) print_human(*table->diags, table->source->name(), o);
  print_human(*c.diags, path, o);
  return c;
}

Compiled compile_file(const std::string& path, const Options& o, Compiled* table = nullptr) {
  std::string text;
  if (!read_file(path, text)) {
    Compiled failed;
    failed.io_error = true;
    return failed;
  }
  return compile_text(path, std::move(text), o, table);
}

// A .callbc someone built: loaded (the verifier's checks), its string table applied, then proved
// like a compiled script; findings name states and prompts, as there are no sources to show.
Compiled prove_bytecode(const std::string& path, const std::string& bytes, const Options& o, Compiled* table) {
  Compiled c;
  c.source = std::make_unique<cs::SourceFile>(path, std::string());
  c.diags = std::make_unique<cs::Diagnostics>(*c.source);
  cs::LoadResult loaded = cs::Program::load({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  if (!loaded.program) {
    std::cerr << path << ": error: " << loaded.error << "\n";
    c.io_error = false;
    return c;
  }
  cs::bc::Image image = loaded.program->image();
  if (table && !cs::apply_string_table(*table->source, image, *table->diags)) {
    print_human(*table->diags, table->source->name(), o);
    return c;
  }
  cs::prove_program(image, *c.diags);
  print_human(*c.diags, path, o);
  if (c.diags->error_count() == 0) c.image = std::move(image);
  return c;
}

void print_json(const std::vector<Compiled>& files) {
  std::vector<const cs::Diagnostics*> all;
  for (const auto& f : files)
    if (f.diags) all.push_back(f.diags.get());
  std::cout << cs::render_json(all);
}

// A Program from a .call source or a .callbc file, with the string table of --strings applied
// before the proofs.
std::shared_ptr<const cs::Program> load_program(const std::string& path, const Options& o, int& status) {
  std::string bytes;
  Compiled table;
  if (!o.strings.empty()) table = read_table(o.strings);
  if (!read_file(path, bytes) || table.io_error) {
    status = kUsage;
    return nullptr;
  }
  if (cs::bc::has_bytecode_magic(bytes) && !table.source) {
    // Built elsewhere and run as it is: the verifier's checks (`callc check` proves it too).
    cs::LoadResult loaded = cs::Program::load({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
    if (!loaded.program) {
      std::cerr << path << ": error: " << loaded.error << "\n";
      status = kInputErrors;
    }
    return loaded.program;
  }
  // The bytes already read are the source: no second read of the file.
  Compiled c = compile_text(path, std::move(bytes), o, table.source ? &table : nullptr);
  if (!c.image) {
    status = kInputErrors;
    return nullptr;
  }
  cs::LoadResult loaded = cs::Program::from_image(std::move(*c.image));
  if (!loaded.program) {
    std::cerr << path << ": error: " << loaded.error << "\n";
    status = kInputErrors;
  }
  return loaded.program;
}

int cmd_check(const std::vector<std::string>& args) {
  Options o = parse_options(args, {"--format", "--color", "--strings", "--today"});
  if (!o.error.empty()) return usage_error(o.error);
  if (o.files.empty()) return usage_error("check needs at least one FILE");
  o.compile.today = today(o);
  Compiled table;
  if (!o.strings.empty() && (table = read_table(o.strings)).io_error) return kUsage;
  int status = kOk;
  std::vector<Compiled> compiled;
  for (const auto& f : o.files) {
    compiled.push_back(compile_file(f, o, table.source ? &table : nullptr));
    const Compiled& c = compiled.back();
    if (c.io_error) status = kUsage;
    else if (!c.image && status == kOk) status = kInputErrors;
    if (c.image) print_calendar_range(f, *c.image, o);
  }
  if (table.diags) compiled.push_back(std::move(table));
  if (o.format == "json") print_json(compiled);
  return status;
}

int cmd_build(const std::vector<std::string>& args) {
  Options o = parse_options(args, {"--format", "--color", "-o", "--output", "--strings", "--today"});
  if (!o.error.empty()) return usage_error(o.error);
  if (o.files.size() != 1) return usage_error("build takes exactly one FILE");
  o.compile.today = today(o);
  const std::string& in = o.files[0];
  Compiled table;
  if (!o.strings.empty() && (table = read_table(o.strings)).io_error) return kUsage;
  std::vector<Compiled> files;
  files.push_back(compile_file(in, o, table.source ? &table : nullptr));
  if (files.back().image) print_calendar_range(in, *files.back().image, o);
  if (table.diags) files.push_back(std::move(table));
  if (o.format == "json") print_json(files);
  const Compiled& c = files.front();
  if (c.io_error) return kUsage;
  if (!c.image) return kInputErrors;
  std::string out = o.output;
  if (out.empty()) out = (in.size() > 5 && in.ends_with(".call") ? in.substr(0, in.size() - 5) : in) + ".callbc";
  return write_file(out, cs::bc::serialize(*c.image)) ? kOk : kUsage;
}

int cmd_run(const std::vector<std::string>& args) {
  Options o = parse_options(args, {"--events", "--color", "--strings", "--start", "--today"});
  if (!o.error.empty()) return usage_error(o.error);
  if (o.files.size() != 1) return usage_error("run takes exactly one FILE (.call or .callbc)");
  int status = kOk;
  auto program = load_program(o.files[0], o, status);
  if (!program) return status;
  cs::cli::SimulatorOptions so;
  if (!o.start.empty()) {
    const auto start = cs::text::parse_instant(o.start);
    if (!start) return usage_error("--start is a time with its UTC offset, like 2025-03-03T09:00+08:00");
    so.start = *start;
  } else if (const cs::BusinessCalendar* calendar = program->calendar()) {
    // Not 1970, where every business deadline is one the calendar cannot place.
    const cs::cli::RunStart start = cs::cli::default_start(*calendar, today(o));
    if (!start.at) {
      std::cerr << "callc: " << start.message << "\n";
      return kUsage;
    }
    so.start = *start.at;
    std::cout << start.message << "\n";
  }
  if (!o.events.empty()) {
    std::ifstream events(o.events);
    if (!events) {
      std::cerr << "callc: cannot read " << o.events << ": " << std::strerror(errno) << "\n";
      return kUsage;
    }
    so.echo = true;
    so.source = o.events;
    return cs::cli::simulate(*program, events, std::cout, so);
  }
  so.interactive = isatty(fileno(stdin));
  so.echo = !so.interactive;
  return cs::cli::simulate(*program, std::cin, std::cout, so);
}

int cmd_disasm(const std::vector<std::string>& args) {
  Options o = parse_options(args, {"--color"});
  if (!o.error.empty()) return usage_error(o.error);
  if (o.files.size() != 1) return usage_error("disasm takes exactly one FILE (.callbc or .call)");
  int status = kOk;
  auto program = load_program(o.files[0], o, status);
  if (!program) return status;
  std::cout << cs::bc::disassemble(program->image());
  return kOk;
}

int cmd_test(const std::vector<std::string>& args) {
  // --coverage is a flag with an optional value, so it is read here rather than by
  // parse_options (which would take the next argument as its value).
  std::string coverage;
  std::vector<std::string> rest;
  for (const auto& a : args) {
    if (a == "--coverage") coverage = "report";
    else if (a.starts_with("--coverage=")) coverage = a.substr(11);
    else rest.push_back(a);
  }
  if (!coverage.empty() && coverage != "report" && coverage != "require")
    return usage_error("--coverage is --coverage, --coverage=report or --coverage=require");
  Options o = parse_options(rest, {"--color", "--strings"});
  if (!o.error.empty()) return usage_error(o.error);
  if (o.files.empty()) return usage_error("test needs at least one transcript FILE or DIR");
  std::vector<std::string> files;
  for (const auto& f : o.files)
    if (!cs::cli::collect_files(f, {".yaml", ".yml"}, files)) return kUsage;
  if (files.empty()) return usage_error("no transcripts (*.yaml, *.yml) found");

  cs::transcript::Options options;
  options.color = use_color(o);
  options.strings = o.strings;
  cs::transcript::Suite suite(options);
  std::size_t passed = 0, failed = 0;
  bool io_error = false;
  for (const auto& f : files) {
    std::string text;
    if (!read_file(f, text)) {
      io_error = true;
      continue;
    }
    const cs::SourceFile source(f, std::move(text));
    cs::Diagnostics diags(source);
    const auto verdict = suite.run(source, diags, std::cerr);
    std::cerr << cs::render_human(diags, {use_color(o)});
    std::cerr.flush();
    if (verdict == cs::transcript::Verdict::Passed) ++passed, std::cout << "ok      " << f << "\n";
    else ++failed, std::cout << (verdict == cs::transcript::Verdict::Failed ? "FAILED  " : "INVALID ") << f << "\n";
    std::cout.flush();
  }
  bool gaps = false;
  if (!coverage.empty()) {
    for (const auto& c : suite.coverage()) {
      std::cout << "coverage of " << c.script << ": " << c.states_entered << "/" << c.states << " states, "
                << c.transitions_taken << "/" << c.transitions << " transitions\n";
      for (const auto& g : c.gaps) std::cout << "  " << g << "\n";
      gaps |= !c.gaps.empty();
    }
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (coverage == "require" && gaps) std::cout << "; coverage incomplete";
  std::cout << "\n";
  if (io_error) return kUsage;
  return failed != 0 || (coverage == "require" && gaps) ? kInputErrors : kOk;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"check", "callc check [--format human|json] [--color auto|always|never] [--strings TABLE.yaml] [--today DATE] FILE...",
       "Parse, check and prove scripts; print every diagnostic. Exit 1 if any has errors.\n"
       "The proofs run on the compiled program, with the string table of --strings applied. A\n"
       "FILE.callbc someone else built is loaded, verified and proved; its findings name states\n"
       "and prompt ids. The revisit promise words come from the callscript.yaml that governs\n"
       "the script, as for `callc lint`. For a script that names a calendar, print the days it\n"
       "covers, and warn (W0003) when its last day is less than 60 days after today. --today\n"
       "2026-12-03 sets today (default: the system clock's date, UTC).",
       cmd_check},
      {"build", "callc build [-o OUT.callbc] [--strings TABLE.yaml] [--today DATE] FILE",
       "Compile a script to bytecode (default OUT: FILE with .callbc). --strings replaces\n"
       "prompt texts by id from a YAML string table (a translation); see grammar/REFERENCE.md,\n"
       "\"String tables\". The calendar's days and W0003 as for check, with --today too.",
       cmd_build},
      {"run", "callc run [--events FILE] [--strings TABLE.yaml] [--start TIME] [--today DATE] FILE|OUT.callbc",
       "Simulate a call. Commands: an event name or its number, `input SLOT VALUE`,\n"
       "`wait 30s`, `slots`, `help`, `quit`; from the terminal, a pipe, or --events FILE.\n"
       "--start 2025-03-03T09:00+08:00 sets the virtual clock; shown times count from it.\n"
       "Without it, a script that names a calendar starts at the calendar's first working\n"
       "moment on or after today (--today DATE, default the system clock's date, UTC), or, when\n"
       "today is past the calendar, at its first working moment; others start at 1970-01-01.\n"
       "--strings shows the prompts of a string table instead of the script's own.",
       cmd_run},
      {"disasm", "callc disasm FILE.callbc|FILE.call", "Print the bytecode: tables and code, one instruction a line.", cmd_disasm},
      {"test", "callc test [--coverage[=report|require]] [--strings TABLE.yaml] [--color auto|always|never] DIR|FILE...",
       "Run transcript tests (YAML; a DIR is searched for *.yaml and *.yml): each drives its\n"
       "script on a virtual clock and checks the state, prompts, choices, effects, timer, outcome\n"
       "and slots after every step. A failing step is reported at its file:line:col with a diff.\n"
       "--coverage lists the states never entered and transitions never taken, per script;\n"
       "--coverage=require also fails (exit 1) when anything is left. --strings applies a string\n"
       "table to every transcript that names none with `strings:`. Exit 0 all passed, 1 a\n"
       "failure, 2 usage or I/O. See grammar/REFERENCE.md, \"Transcript tests\".",
       cmd_test},
      {"lint", cs::cli::kLintUsage, cs::cli::kLintHelp, cs::cli::lint_command},
  };
  return list;
}

void print_help() {
  std::cout << "callc " CALLSCRIPT_VERSION " - the callscript compiler and simulator\n\nUsage: callc COMMAND [OPTIONS] ARGS\n\nCommands:\n";
  for (const auto& c : commands()) {
    // A help text's later lines line up under its first.
    std::string help = c.help;
    for (std::size_t at = 0; (at = help.find('\n', at)) != std::string::npos; at += 11) help.insert(at + 1, 10, ' ');
    std::cout << "  " << c.name << std::string(8 - std::strlen(c.name), ' ') << help << "\n";
  }
  std::cout << "\n`callc COMMAND --help` shows a command's options. Colour goes to terminals only (or with\n"
               "--color always), and never when NO_COLOR is set. Exit codes: 0 ok, 1 the input has errors,\n"
               "2 usage or I/O error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return kOk;
  }
  if (args[0] == "--version") {
    std::cout << "callc " CALLSCRIPT_VERSION " (bytecode format " << cs::bc::kFormatMajor << "." << cs::bc::kFormatMinor << ")\n";
    return kOk;
  }
  for (const auto& c : commands()) {
    if (args[0] != c.name) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest)
      if (a == "--help" || a == "-h") {
        std::cout << "usage: " << c.usage << "\n\n" << c.help << "\n";
        return kOk;
      }
    return c.run(rest);
  }
  return usage_error("unknown command `" + args[0] + "`");
}
