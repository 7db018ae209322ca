#!/usr/bin/env python3
"""`callc lint --format sarif` checked against a SARIF 2.1.0 JSON schema, on file names that need
percent-encoding (a space, '#', '%', ':', Chinese) and on a script that does not parse.

Usage: check_sarif.py CALLC SCHEMA...   Exit 0 when every check passes, 1 otherwise.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import jsonschema

GOOD = 'script s "测试" {\n  event done\n  state greet {\n    say "你好，请稍等。"\n    on done -> bye\n  }\n  final bye: resolved\n}\n'
BROKEN = 'script s {\n  state greet { say "你好" \n'
# Relative names, '/' separated; each one's expected relative reference.
FILES = {
    "call me later.call": "call%20me%20later.call",
    "case#2.call": "case%232.call",
    "回访 100%.call": "%E5%9B%9E%E8%AE%BF%20100%25.call",
    "a:b.call": "a%3Ab.call",
    "子目录/x.call": "%E5%AD%90%E7%9B%AE%E5%BD%95/x.call",
    "broken #1.call": "broken%20%231.call",
}
BROKEN_NAME = "broken #1.call"

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def lint(callc, cwd, names):
    r = subprocess.run([callc, "lint", "--format", "sarif", "--fail-on", "never", *names],
                       cwd=cwd, capture_output=True)
    check(r.returncode == 1, f"exit status {r.returncode} (1 expected: one script does not parse)")
    return json.loads(r.stdout.decode("utf-8"))


def validate(log, schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    # Every format jsonschema knows, "uri" and "uri-reference" among them (they need rfc3987):
    # a checker without them would pass any string.
    formats = jsonschema.FormatChecker()
    for needed in ("uri", "uri-reference"):
        check(needed in formats.checkers, f"jsonschema cannot check format {needed} (python3-rfc3987 missing?)")
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=formats)
    for error in validator.iter_errors(log):
        failures.append(f"{os.path.basename(schema_path)}: {'/'.join(map(str, error.absolute_path))}: {error.message}")


def check_rules(log):
    run = log["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    check(len(ids) == len(set(ids)), f"rules listed twice: {ids}")
    codes = set()
    for result in run["results"]:
        codes.add(result["ruleId"])
        check(result["ruleId"] in ids, f"ruleId {result['ruleId']} is not among the rules")
        if result["ruleId"] in ids:
            check(result.get("ruleIndex") == ids.index(result["ruleId"]), f"ruleIndex of {result['ruleId']}")
    check("L0002" in codes, f"no L0002 finding: {sorted(codes)}")
    check(any(c.startswith("E") for c in codes), f"no compiler error for the broken script: {sorted(codes)}")


def uris(log):
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]


def main():
    callc, schemas = os.path.abspath(sys.argv[1]), sys.argv[2:]
    root = tempfile.mkdtemp(prefix="callscript_sarif_")
    try:
        for name in FILES:
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(BROKEN if name == BROKEN_NAME else GOOD)

        relative = lint(callc, root, list(FILES))
        check(set(uris(relative)) == set(FILES.values()), f"relative URIs {sorted(set(uris(relative)))}")
        for uri in uris(relative):
            parts = urllib.parse.urlsplit(uri)
            check(not parts.scheme and not parts.netloc and not parts.query and not parts.fragment,
                  f"{uri} is not a plain relative path reference")
            check(urllib.parse.unquote(parts.path) in FILES, f"{uri} does not name a linted file")

        absolute = lint(callc, "/", [os.path.join(root, n) for n in FILES])
        for uri in uris(absolute):
            parts = urllib.parse.urlsplit(uri)
            check(parts.scheme == "file" and parts.netloc == "" and not parts.query and not parts.fragment,
                  f"{uri} is not a file:// URI")
            path = urllib.parse.unquote(parts.path)
            check(os.path.relpath(path, root) in FILES, f"{uri} does not name a linted file")

        for log in (relative, absolute):
            check_rules(log)
            for schema in schemas:
                validate(log, schema)
    finally:
        shutil.rmtree(root)

    for f in failures:
        print("FAIL:", f)
    print(f"check_sarif: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
