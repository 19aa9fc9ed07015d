#!/usr/bin/env python3
"""Re-checks issue #12's bad-input list against a release build: each input must end with
exit 1 or 2 (0 where the input is valid) and a message, within 2 s and 200 MB.

    python3 bench/hardening.py [path/to/hm]

Prints one line per input: exit code, wall seconds, peak RSS (hm's own, through
/usr/bin/time) and the first line of the message. The behaviour itself is asserted in
crates/hm/tests/hardening.rs; this script measures the time and memory bounds, which tests
do not (no timed tests).
"""
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HM = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target", "release", "hm")
N = 100_000
SECONDS, MIB = 2.0, 200


def inputs():
    """(name, argv after hm, files to write, expected exit codes)."""
    def nix(text):
        return {"home.nix": text}

    module = "{ lib, ... }:\n"
    return [
        ("module imports itself as a value", ["check"], nix("let m = { imports = [ m ]; }; in m\n"), (1, 2)),
        ("home.nix imports (import ./home.nix)", ["check"], nix("{ imports = [ (import ./home.nix) ]; }\n"), (1, 2)),
        ("rec { a = lib.mkMerge [ a ]; } in a service", ["services"],
         nix(module + "{ systemd.user.services.x.Service = rec { a = lib.mkMerge [ a ]; }; }\n"), (0, 1, 2)),
        ("imports = [ /dev/zero ]", ["check"], nix("{ imports = [ /dev/zero ]; }\n"), (1, 2)),
        ("a .nix symlink to /dev/zero imported", ["check"], {"home.nix": "{ imports = [ ./z.nix ]; }\n",
                                                             "z.nix": "@/dev/zero"}, (1, 2)),
        ("hm check /dev/zero", ["check", "/dev/zero"], {}, (1, 2)),
        ("a FIFO imported", ["check"], {"home.nix": "{ imports = [ ./f.nix ]; }\n", "f.nix": "|fifo"}, (1, 2)),
        ("a FIFO as the entry", ["check", "f.nix"], {"f.nix": "|fifo"}, (1, 2)),
        ("/dev/stdin as the entry (stdin kept open)", ["check", "/dev/stdin"], {}, (1, 2)),
        ("a 70,000-character service name (table cell)", ["services"],
         nix(f'{{ systemd.user.services."{"x" * 70_000}".Service.ExecStart = "/bin/true"; }}\n'), (0, 1)),
        ("a finding past column 200,000", ["check"],
         nix("{ home.stateVersion = \"24.05\"; " + " " * 200_000 + "home.packages = 1; }"), (1, 2)),
        ("100,000 unary minus", ["check"], nix("{ x = " + "-" * N + "1; }\n"), (0, 1, 2)),
        ("an application chain f f f … (100,000)", ["check"],
         nix("let f = x: x; in { x = " + "f " * N + "1; }\n"), (0, 1, 2)),
        ("100,000 duplicate attributes", ["check"], nix("{ " + "a = 1; " * N + "}\n"), (1, 2)),
        ("100,000 services", ["services"],
         nix("{ systemd.user.services = {\n" + "".join(
             f'  s{i}.Service.ExecStart = "/bin/true";\n' for i in range(N)) + "}; }\n"), (0, 1)),
        ("a 100,000-component attribute path", ["check"], nix("{ " + "a." * N + "b = 1; }\n"), (0, 1, 2)),
        ("escape sequences in names", ["services"],
         nix('{ systemd.user.services."\\u001b]52;c;ZXZpbA==\\u0007x".Service.ExecStart = "/bin/true"; }\n'
             .replace("\\u001b", "\x1b").replace("\\u0007", "\x07")), (0, 1)),
        ("a symlink loop as the entry", ["check", "loop.nix"], {"loop.nix": "@loop.nix"}, (1, 2)),
        ("-b '' (empty backup extension)", ["switch", "-b", "", "--flake",
                                            os.path.join(REPO, "examples", "standalone")], {}, (2,)),
    ]


def make(d, files):
    for name, text in files.items():
        path = os.path.join(d, name)
        if text.startswith("@"):
            os.symlink(text[1:], path)
        elif text == "|fifo":
            os.mkfifo(path)
        else:
            with open(path, "w") as f:
                f.write(text)


def main():
    failed = 0
    for name, args, files, codes in inputs():
        with tempfile.TemporaryDirectory() as d, tempfile.NamedTemporaryFile(mode="r") as t:
            make(d, files)
            argv = [HM, *args]
            if files and (len(args) == 1 or args[0] == "switch"):
                argv.append(os.path.join(d, "home.nix"))
            start = time.perf_counter()
            # stdin stays an open pipe: a read of /dev/stdin would block. timeout(1) ends hm
            # itself after 30 s; /usr/bin/time reports the peak RSS of hm (its descendant).
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name, "timeout", "30", *argv],
                                  cwd=d, stdin=subprocess.PIPE, capture_output=True)
            wall = time.perf_counter() - start
            if proc.returncode == 124:
                print(f"FAIL  {name}: no answer in 30 s")
                failed += 1
                continue
            rss = int(t.read().split()[-1]) / 1024
            message = (proc.stderr or proc.stdout).decode(errors="replace").strip().splitlines()
            first = message[0][:90] if message else "(no message)"
            ok = proc.returncode in codes and wall <= SECONDS and rss <= MIB and (
                proc.returncode == 0 or message)
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'}  exit {proc.returncode}  {wall:5.2f} s  {rss:6.1f} MiB  "
                  f"{name}: {first}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
