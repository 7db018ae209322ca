#!/usr/bin/env python3
"""Refreshes the `$ callc check` output blocks of grammar/ERRORS.md from the compiler itself.

For maintainers, after a change to a diagnostic's wording or position: it compiles each
section's first ```call example under the file name its output block shows and pastes what
build/callc prints. The S sections (string tables) show `$ callc build examples/consult.call
--strings FILE`: their first ```yaml example is applied to examples/consult.call the same way.
tests/unit/test_error_index.cpp and test_string_table.cpp check the result.
Usage: python3 scripts/update-error-index.py [build/callc]
"""
import os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
callc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'build', 'callc'))
path = os.path.join(root, 'grammar', 'ERRORS.md')
text = open(path, encoding='utf-8').read()

STRINGS = '$ callc build examples/consult.call --strings '

def refresh_strings(section):
    example = re.search(r'```yaml\n(.*?)```', section, re.S)
    shown = re.search(r'```\n' + re.escape(STRINGS) + r'(\S+)\n(.*?)```', section, re.S)
    if not example or not shown:
        return section
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, shown.group(1)), 'wb') as f:
            f.write(example.group(1).encode())
        out = subprocess.run([callc, 'build', os.path.join(root, 'examples', 'consult.call'), '--strings',
                              shown.group(1), '-o', os.path.join(d, 'out.callbc')],
                             cwd=d, capture_output=True, env={'NO_COLOR': '1'}).stderr.decode('utf-8', 'replace')
    return section[:shown.start(2)] + out + section[shown.end(2):]

def refresh(section):
    if section.startswith('## S'):
        return refresh_strings(section)
    example = re.search(r'```call\n(.*?)```', section, re.S)
    shown = re.search(r'```\n\$ callc check (\S+)\n(.*?)```', section, re.S)
    if not example or not shown:
        return section
    source = example.group(1)
    if section.startswith('## E0001'):
        source = source.encode().replace(b'\\xff\\xfe', b'\xff\xfe')
    else:
        source = source.encode()
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, shown.group(1)), 'wb') as f:
            f.write(source)
        out = subprocess.run([callc, 'check', shown.group(1)], cwd=d, capture_output=True,
                             env={'NO_COLOR': '1'}).stderr.decode('utf-8', 'replace')
    return section[:shown.start(2)] + out + section[shown.end(2):]

parts = re.split(r'(?m)^(?=## )', text)
open(path, 'w', encoding='utf-8').write(''.join(refresh(p) for p in parts))
