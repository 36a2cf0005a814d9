#!/usr/bin/env python3
"""The man pages document what the code has: fails when a recoveryctl command
or option, a recoveryd option, an exit status, a PAM module option or a
policy key (with its default) exists in the code but not in the pages.

The code's side comes from the programs themselves where they can say it
(`recoveryctl --help` and each command's `--help`, `recoveryd --help`, the
policy loader's effective defaults) and from the source where they cannot
(exit codes, the module's option parser). The pages' side is the rendered
text (`man -l`), read by section and by entry.
"""

import argparse
import os
import re
import subprocess
import sys

failures = []
checked = []  # what was compared, printed for the record


def fail(message):
    failures.append(message)


def run(argv):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


# ---- the pages ----------------------------------------------------------

def render(path):
    """The page as plain text, one line per paragraph (no wrapping)."""
    env = dict(os.environ, MANWIDTH="2000", LC_ALL="C.UTF-8")
    env.pop("MAN_KEEP_FORMATTING", None)  # plain text: man strips bold and underline in a pipe
    result = subprocess.run(["man", "-l", path], capture_output=True, text=True, env=env, timeout=60)
    if result.returncode != 0:
        sys.exit(f"man -l {path} failed: {result.stderr}")
    return [line.rstrip() for line in result.stdout.splitlines()]


def sections(lines):
    """{"SECTION NAME": [lines]} for the page's top-level sections."""
    out, name = {}, None
    for line in lines:
        if line and not line[0].isspace() and line == line.upper() and not line.endswith(")"):
            name = line.strip()
            out[name] = []
        elif name:
            out[name].append(line)
    return out


def entries(lines):
    """[(term, text)] of a section's definition list: a term at the
    section's indent, its text indented further."""
    out = []
    for line in lines:
        stripped = line.lstrip()
        if not stripped:
            continue
        indent = len(line) - len(stripped)
        if indent <= 7:
            out.append([stripped, ""])
        elif out:
            out[-1][1] += " " + stripped
    return [(term, text) for term, text in out]


def section_of(page_sections, name, page):
    if name not in page_sections:
        fail(f"{page}: no section {name}")
        return []
    return page_sections[name]


# ---- recoveryctl(1) -----------------------------------------------------

HELP_ITEM = re.compile(r"^\s{2}(-\S+?|[a-z][a-z-]*|[A-Z][A-Z_]*)(?:\s|$)")


def parse_help(text):
    """Commands, options and positionals in a --help text (CLI11's layout:
    items indented by two spaces under headings)."""
    commands, options, positionals = [], [], []
    heading = ""
    for line in text.splitlines():
        if line and not line[0].isspace():
            heading = line.rstrip(":").strip()
            continue
        match = HELP_ITEM.match(line)
        if not match:
            continue
        item = match.group(1).strip()
        if item.startswith("-"):
            # "-h,--help", "-h, --help", "--config TEXT ...": the leading dashed words
            for word in line.split():
                if not word.startswith("-"):
                    break
                options += [name for name in word.split(",") if name.startswith("--")]
        elif heading == "POSITIONALS" or heading.lower() == "positionals":
            positionals.append(item)
        elif item.isupper():
            positionals.append(item)
        else:
            commands.append(item)
    return commands, options, positionals


def recoveryctl_commands(program):
    """{"enroll codes": (options, positionals)} for every leaf command,
    and the top-level options and help text."""
    rc, top = run([program, "--help"])
    if rc != 0:
        sys.exit(f"{program} --help: exit status {rc}")
    commands, top_options, _ = parse_help(top)
    if not commands:
        sys.exit(f"no commands found in {program} --help:\n{top}")
    leaves = {}
    pending = [[c] for c in commands]
    while pending:
        path = pending.pop()
        rc, text = run([program, *path, "--help"])
        if rc != 0:
            fail(f"recoveryctl {' '.join(path)} --help: exit status {rc}")
            continue
        subcommands, options, positionals = parse_help(text)
        if subcommands:
            pending += [path + [s] for s in subcommands]
        else:
            leaves[" ".join(path)] = ([o for o in options if o != "--help"], positionals)
    return leaves, top_options, top


def check_recoveryctl(args, page_sections):
    page = "recoveryctl(1)"
    leaves, top_options, top_help = recoveryctl_commands(args.recoveryctl)
    command_entries = []
    for name, lines in page_sections.items():
        if name.startswith("COMMANDS"):
            command_entries += entries(lines)
    if not command_entries:
        fail(f"{page}: no COMMANDS section")
    for command, (options, positionals) in sorted(leaves.items()):
        # Every entry whose term starts with the command ("audit" and
        # "audit --verify") documents it.
        mine = [(t, x) for t, x in command_entries if t == command or t.startswith(command + " ")]
        if not mine:
            fail(f"{page}: command '{command}' has no entry under COMMANDS")
            continue
        text = " ".join(t + " " + x for t, x in mine)
        for option in options:
            if not re.search(re.escape(option) + r"\b", text):
                fail(f"{page}: option {option} of '{command}' is not documented in its entry")
        for positional in positionals:
            if not re.search(r"\b" + re.escape(positional) + r"\b", text):
                fail(f"{page}: argument {positional} of '{command}' is not documented in its entry")
        if options and not re.search(r"\b(default|required)\b", text.lower()):
            fail(f"{page}: the entry of '{command}' does not say its options' defaults")
        checked.append(f"recoveryctl {command} {' '.join(options + positionals)}".rstrip())
    option_text = " ".join(t + " " + x for t, x in entries(section_of(page_sections, "OPTIONS", page)))
    for option in top_options:
        if option not in option_text:
            fail(f"{page}: option {option} is not under OPTIONS")

    statuses = set(exit_codes_in_header(os.path.join(args.source_dir, "ctl/ExitCode.h")))
    footer = top_help[top_help.find("Exit status"):]
    statuses |= set(int(n) for n in re.findall(r"\b(\d+) [a-z]", footer))
    check_exit_statuses(page, page_sections, statuses)


def exit_codes_in_header(path):
    with open(path, encoding="utf-8") as f:
        codes = [int(n) for n in re.findall(r"\bkExit\w+\s*=\s*(\d+)", f.read())]
    if not codes:
        sys.exit(f"no exit codes found in {path}")
    return codes


def check_exit_statuses(page, page_sections, statuses):
    terms = {t for t, _ in entries(section_of(page_sections, "EXIT STATUS", page))}
    checked.append(f"{page} exit statuses {sorted(statuses)}")
    for status in sorted(statuses):
        if str(status) not in terms:
            fail(f"{page}: exit status {status} is not under EXIT STATUS")


# ---- recoveryd(8) -------------------------------------------------------

def check_recoveryd(args, page_sections):
    page = "recoveryd(8)"
    rc, text = run([args.recoveryd, "--help"])
    if rc != 0:
        sys.exit(f"recoveryd --help: exit status {rc}")
    _, options, _ = parse_help(text)
    if not options:
        sys.exit(f"no options found in recoveryd --help:\n{text}")
    terms = " ".join(t for t, _ in entries(section_of(page_sections, "OPTIONS", page)))
    checked.append(f"recoveryd {' '.join(options)}")
    for option in options:
        if not re.search(re.escape(option) + r"\b", terms):
            fail(f"{page}: option {option} is not under OPTIONS")
    with open(os.path.join(args.source_dir, "daemon/main.cpp"), encoding="utf-8") as f:
        main = f.read()
    statuses = set()
    if "EXIT_SUCCESS" in main:
        statuses.add(0)
    if "EXIT_FAILURE" in main:
        statuses.add(1)
    statuses |= {int(code) for code in re.findall(r"constexpr int k\w*Error = (\d+);", main)}
    check_exit_statuses(page, page_sections, statuses)


# ---- pam_recovery(8) ----------------------------------------------------

def check_pam_module(args, page_sections):
    page = "pam_recovery(8)"
    with open(os.path.join(args.source_dir, "pam_module/ModuleOptions.cpp"), encoding="utf-8") as f:
        parser = f.read()
    options = re.findall(r'argument(?:\.substr\([^)]*\))?\s*==\s*"([^"]+)"', parser)
    if not options:
        sys.exit("no options found in pam_module/ModuleOptions.cpp")
    option_entries = entries(section_of(page_sections, "OPTIONS", page))
    checked.append(f"pam_recovery.so {' '.join(options)}")
    for option in options:
        mine = [x for t, x in option_entries if t.startswith(option)]
        if not mine:
            fail(f"{page}: module option {option} is not under OPTIONS")
        elif "default" not in mine[0].lower():
            fail(f"{page}: module option {option} has no default in its entry")


# ---- recoveryd.conf(5) --------------------------------------------------

def loader_keys(program):
    """[(section, key, default)] from the policy loader's effective defaults."""
    rc, text = run([program])
    if rc != 0:
        sys.exit(f"{program}: exit status {rc}: {text}")
    keys, section = [], None
    for line in text.splitlines():
        header = re.match(r"^\[(\w+)\]$", line)
        setting = re.match(r"^(\w+)\s*=\s*(.*)$", line)
        if header:
            section = header.group(1)
        elif setting:
            keys.append((section, setting.group(1), setting.group(2).strip()))
    if not keys:
        sys.exit(f"no keys printed by {program}")
    return keys


def check_policy_keys(args, page_sections):
    page = "recoveryd.conf(5)"
    documented, section = {}, None
    for line in section_of(page_sections, "SETTINGS", page):
        header = re.match(r"^\s{1,4}\[(\w+)\]$", line)
        setting = re.match(r"^\s{5,7}(\w+) = (.*)$", line)
        if header:
            section = header.group(1)
        elif setting:
            documented[(section, setting.group(1))] = setting.group(2).strip()
    keys = loader_keys(args.print_policy)
    checked.append(f"{len(keys)} policy keys")
    for section, key, default in keys:
        shown = documented.get((section, key))
        expected = default if default else "(empty)"
        if shown is None:
            fail(f"{page}: policy key [{section}] {key} is not under SETTINGS")
        elif shown != expected:
            fail(f"{page}: [{section}] {key}: the page says default '{shown}', the loader '{expected}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--man-dir", required=True)
    parser.add_argument("--recoveryctl", required=True)
    parser.add_argument("--recoveryd", required=True)
    parser.add_argument("--print-policy", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()

    def page(name):
        return sections(render(os.path.join(args.man_dir, name)))

    check_recoveryctl(args, page("recoveryctl.1"))
    check_recoveryd(args, page("recoveryd.8"))
    check_pam_module(args, page("pam_recovery.8"))
    check_policy_keys(args, page("recoveryd.conf.5"))
    print("checked:", "; ".join(checked))
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        sys.exit(1)
    print("ok: every command, option, exit status, module option and policy key is in the man pages")


if __name__ == "__main__":
    main()
