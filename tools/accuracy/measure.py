#!/usr/bin/env python3
"""Measure hm's static inventory (`hm users` / `hm services`) against the oracle.

Reads oracle JSON (flake mode: names of homeConfigurations, NixOS/darwin HM users and their
user services; home mode: Description/ExecStart/WantedBy of each service) and hm JSON, and
prints markdown tables.  With --hm BIN it first runs hm (argv only, no shell) and stores its
JSON under --hm-json; without it the JSON already there is read.  Nothing is downloaded.

  python3 measure.py --corpus DIR --repos FILE [--repos-extra FILE] [--modules FILE]
                     [--oracle-home DIR] [--hm-json DIR] [--hm BIN] [--patched]

Repos files: one `<dir>` a line (flake at <corpus>/<dir>/flake.nix, oracle <dir>.oracle.json),
or `<dir> <subdir> <oracle json>` for a flake in a subdirectory.  Modules file:
`<dir> <relpath>` lines; the oracle JSON for them is looked up in --oracle-home, then in the
corpus (<dir>.home.<slug>.oracle.json).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

ABSENT = object()  # hm has no value for the field


# ---------------------------------------------------------------- hm runs and inputs

def run_hm(hm, args, out_path):
    with open(out_path, "w") as out:
        proc = subprocess.run([hm] + args, stdout=out, stderr=subprocess.PIPE, text=True, timeout=600)
    return proc.returncode


def hm_json(hm, json_dir, key, target):
    """users/services JSON for target, running hm when a binary is given."""
    res = {}
    for cmd in ("users", "services"):
        path = os.path.join(json_dir, f"{key}.{cmd}.json")
        if hm:
            run_hm(hm, [cmd, target, "--format", "json"], path)
        with open(path) as f:
            res[cmd] = json.load(f)
    return res


def read_list(path):
    rows = []
    if not path:
        return rows
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                rows.append(line.split())
    return rows


def slug(rel):
    return re.sub(r"\.nix$", "", rel).replace("/", "_")


# ---------------------------------------------------------------- flake-level comparison

def oracle_flake(d):
    """-> (hc, users, svcs, unscored)
    hc: set of homeConfigurations names; users: set of (kind, host, user);
    svcs: set of (entry, service) where entry is ("standalone", None, name) or (kind, host, user);
    unscored: set of entries whose services (or, for hosts, users) the oracle could not evaluate."""
    hc, users, svcs, unscored = set(), set(), set(), set()
    for name, v in (d.get("homeConfigurations") or {}).items():
        hc.add(name)
        e = ("standalone", None, name)
        if "services_error" in v:
            unscored.add(e)
        for s in v.get("services") or []:
            svcs.add((e, s))
    for kind, key in (("nixos", "nixosConfigurations"), ("darwin", "darwinConfigurations")):
        for host, h in (d.get(key) or {}).items():
            if "users_error" in h:
                unscored.add((kind, host, "*"))
            for user, u in (h.get("users") or {}).items():
                e = (kind, host, user)
                users.add(e)
                if "services_error" in u:
                    unscored.add(e)
                for s in u.get("services") or []:
                    svcs.add((e, s))
    return hc, users, svcs, unscored


def entry_of(u):
    if u["kind"] == "standalone":
        return ("standalone", None, u["name"])
    return (u["kind"], u["host"], u["name"])


def module_files(u):
    return {m.rsplit(":", 1)[0] if re.search(r":\d+$", m) else m for m in u.get("modules") or []}


def written(services):
    """User-written services: the oracle loads only `systemd.nix`, so services Home Manager's
    own modules create (hm lists them with `origin: module` and no definition) are left out;
    written overrides of them count, as the oracle lists those."""
    return [s for s in services
            if not ((s.get("origin") or {}).get("kind") == "module" and not s.get("definitions"))]


def attribute_services(users, services):
    """hm lists services user by user, in the order of `users`, but names only the user (not the
    host) of NixOS/darwin installs.  Walk both lists in step: a user's run of services ends at a
    different user name or a repeated service name; when the next user has the same name, a
    service whose definition files only that later user imports is left for it."""
    out, i = [], 0
    for k, u in enumerate(users):
        seen, mods = set(), module_files(u)
        while i < len(services) and services[i]["user"] == u["name"] and services[i]["name"] not in seen:
            s = services[i]
            defs = {d["file"] for d in s.get("definitions") or []}
            later = [v for v in users[k + 1:] if v["name"] == u["name"]]
            if defs and not defs & mods and any(defs & module_files(v) for v in later):
                break
            out.append((entry_of(u), s))
            seen.add(s["name"])
            i += 1
    leftovers = services[i:]
    if leftovers:
        print(f"warning: {len(leftovers)} services could not be attributed in order", file=sys.stderr)
        for s in leftovers:
            u = next((u for u in users if u["name"] == s["user"]), None)
            out.append((entry_of(u) if u else ("?", None, s["user"]), s))
    return out


def is_unscored(entry, unscored):
    return entry in unscored or (entry[0], entry[1], "*") in unscored


def compare_flake(oracle, hm):
    o_hc, o_users, o_svcs, unscored = oracle_flake(oracle)
    h_users = hm["users"]["users"]
    h_hc = {u["name"] for u in h_users if u["kind"] == "standalone"}
    h_mod = {entry_of(u) for u in h_users if u["kind"] in ("nixos", "darwin")}
    r = collections.OrderedDict()
    r["hc_oracle"] = len(o_hc)
    r["hc_found"] = len(o_hc & h_hc)
    r["hc_extra"] = sorted(h_hc - o_hc)
    r["hc_missed"] = sorted(o_hc - h_hc)
    scored_mod = {e for e in h_mod if not is_unscored(e, unscored)}
    r["users_oracle"] = len(o_users)
    r["users_found"] = len(o_users & h_mod)
    r["users_extra"] = sorted(f"{h}/{u}" for (_, h, u) in scored_mod - o_users)
    r["users_unscored"] = sorted(f"{h}/{u}" for (_, h, u) in h_mod - scored_mod - o_users)
    r["users_missed"] = sorted(f"{h}/{u}" for (_, h, u) in o_users - h_mod)
    pairs = attribute_services(h_users, written(hm["services"]["services"]))
    h_svcs = {(e, s["name"]) for e, s in pairs}
    known_entries = o_users | {("standalone", None, n) for n in o_hc}
    scored_svcs = {p for p in h_svcs if not is_unscored(p[0], unscored)}
    o_scored = {p for p in o_svcs if not is_unscored(p[0], unscored)}
    r["svc_oracle"] = len(o_scored)
    r["svc_found"] = len(o_scored & h_svcs)
    r["svc_extra"] = sorted(fmt_pair(p) for p in scored_svcs - o_scored)
    r["svc_extra_known_user"] = len([p for p in scored_svcs - o_scored if p[0] in known_entries])
    r["svc_unscored"] = sorted(fmt_pair(p) for p in h_svcs - scored_svcs)
    r["svc_missed"] = sorted(fmt_pair(p) for p in o_scored - h_svcs)
    r["dynamic"] = hm["users"].get("dynamic", []) + hm["services"].get("dynamic", [])
    r["problems"] = hm["users"].get("problems", [])
    return r


def fmt_pair(p):
    (kind, host, user), svc = p
    return f"{user if kind == 'standalone' else f'{host}/{user}'}:{svc}"


# ---------------------------------------------------------------- field agreement

def hm_strings(value, parts):
    """hm's field value (docs/json.md) as a list of strings, each a list of parts:
    ('lit', text) known exactly (a literal `${HOME}` included), ('store', name) for
    `/nix/store/<hash>-name` (a derivation the files build), ('unknown', shown) for anything
    else only Nix knows.  None for an expression hm keeps whole ({"expr": …})."""
    if isinstance(value, dict):
        return None
    if isinstance(value, list):
        parts = parts if isinstance(parts, list) else [None] * len(value)
        out = []
        for v, p in zip(value, parts):
            items = hm_strings(v, p)
            if items is None:
                return None
            out += items
        return out
    if not isinstance(value, str):
        return [[("lit", json.dumps(value))]] if value is not None else []
    if not isinstance(parts, list):
        return [[("lit", value)]]
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(("lit", p))
        elif p.get("kind") == "store-path" and p["shown"].startswith("/nix/store/<hash>-"):
            out.append(("store", p["shown"][len("/nix/store/<hash>-"):]))
        else:
            out.append(("unknown", p.get("shown", "")))
    return [out]


def shown(hm_s):
    return "".join(text if kind != "store" else "/nix/store/<hash>-" + text for kind, text in hm_s)


def str_agrees(hm_s, or_s, lenient):
    """strict: each part of hm's string only Nix knows stands for one of the oracle's
    stand-ins (its README, "Conventions"): a stub store path `/nix/store/0{32}-<label>`
    (plus whatever path follows it, e.g. `/bin/jq` for lib.getExe), an unknown module
    argument `@<name>@`, or the default user `hmuser` and home `/home/hmuser` (plus a path
    below it); a store path hm names (`/nix/store/<hash>-name`) is the stub store path of
    that name; all other text must be equal.  lenient: a part only Nix knows matches any
    text."""
    if not isinstance(or_s, str):
        return False
    rx = []
    for kind, text in hm_s:
        if kind == "lit":
            rx.append(re.escape(text))
        elif kind == "store":
            # The oracle's stub store paths have a hash of zeros.
            rx.append("/nix/store/0{32}-" + re.escape(text))
        elif lenient:
            rx.append(r"(?s:.*?)")
        else:
            rx.append(r"(?:/nix/store/0{32}-[^\s'\"]*?|@[A-Za-z0-9_'-]+@|/home/hmuser(?:/[^\s'\"]*?)?|hmuser)")
    return re.fullmatch("".join(rx), or_s) is not None


def as_list(v):
    if v is None:
        return None
    return v if isinstance(v, list) else [v]


def value_agrees(hm_v, or_v, lenient):
    """None: not comparable (oracle error). hm_v: hm_strings' result, None for an
    expression hm keeps whole.  Lists compare element-wise (also after sorting)."""
    if isinstance(or_v, dict) and "error" in or_v:
        return None
    if hm_v is ABSENT:
        return or_v is None
    if hm_v is None:  # {"expr": …}: not known statically
        return False
    b = as_list(or_v)
    if b is None:
        return False
    if len(hm_v) != len(b):
        return False
    if all(str_agrees(x, y, lenient) for x, y in zip(hm_v, b)):
        return True
    if all(isinstance(y, str) for y in b):
        return all(str_agrees(x, y, lenient) for x, y in zip(sorted(hm_v, key=shown), sorted(b)))
    return False


FIELDS = (("ExecStart", "Service.ExecStart"), ("Description", "Unit.Description"),
          ("WantedBy", "Install.WantedBy"))


def hm_field(svc, field):
    """hm's value as written in its JSON (for the report), and as hm_strings."""
    f = (svc.get("fields") or {}).get(field)
    if f is None:
        return None, ABSENT
    return f.get("value"), hm_strings(f.get("value"), f.get("parts"))


def compare_module(oracle, hm):
    r = collections.OrderedDict()
    r["oracle_status"] = oracle.get("oracle")
    if oracle.get("oracle") != "ok":
        r["reason"] = oracle.get("reason", "")
        return r
    o = oracle.get("services") or {}
    absent = oracle.get("absent_conditional") or {}
    h = {}
    for s in written(hm["services"]["services"]):
        h.setdefault(s["name"], s)
    r["svc_oracle"] = len(o)
    r["svc_found"] = sorted(set(o) & set(h))
    r["svc_missed"] = sorted(set(o) - set(h))
    r["cond_oracle"] = len(absent)
    r["cond_found"] = sorted(n for n in set(absent) & set(h) if h[n].get("condition"))
    r["svc_extra"] = sorted(set(h) - set(o) - set(r["cond_found"]))
    fields = []
    for n in r["svc_found"]:
        for name, key in FIELDS:
            ov = o[n].get(name)
            hv, strings = hm_field(h[n], key)
            fields.append((n, name, hv, ov, value_agrees(strings, ov, False),
                           value_agrees(strings, ov, True)))
    r["fields"] = fields
    r["dynamic"] = hm["services"].get("dynamic", [])
    return r


# ---------------------------------------------------------------- report

def pct(a, b):
    return "–" if b == 0 else f"{100 * a / b:.0f}%"


def short_list(xs, n=4):
    xs = list(xs)
    if not xs:
        return ""
    s = ", ".join(f"`{x}`" for x in xs[:n])
    return s + (f" … (+{len(xs) - n})" if len(xs) > n else "")


def reason_class(reason):
    return re.sub(r"`[^`]*`", "`…`", reason)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.environ.get("CORPUS"))
    ap.add_argument("--repos", default=None, help="default: <corpus>/repos.txt")
    ap.add_argument("--repos-extra", default=None, help="rows reported apart, not in the totals")
    ap.add_argument("--modules", default=None, help="home modules for the field comparison")
    ap.add_argument("--oracle-home", default=None, help="extra home-mode oracle JSON directory")
    ap.add_argument("--hm-json", default=os.environ.get("HM_JSON", "hm-json"))
    ap.add_argument("--hm", default=os.environ.get("HM"), help="hm binary: run it first")
    ap.add_argument("--patched", action="store_true",
                    help="use <dir>.oracle-patched-*.json when present (EmergentMind extraSpecialArgs fix)")
    ap.add_argument("--details", action="store_true", help="also list every miss and extra")
    a = ap.parse_args()
    corpus = a.corpus
    os.makedirs(a.hm_json, exist_ok=True)

    def flake_rows(rows):
        res = []
        for row in rows:
            d = row[0]
            target = os.path.join(corpus, d, row[1]) if len(row) > 1 else os.path.join(corpus, d)
            oracle_path = os.path.join(corpus, row[2] if len(row) > 2 else f"{d}.oracle.json")
            if a.patched:
                alts = sorted(f for f in os.listdir(corpus) if f.startswith(f"{d}.oracle-patched"))
                if alts:
                    oracle_path = os.path.join(corpus, alts[0])
            key = d + ("_" + row[1].replace("/", "_") if len(row) > 1 else "")
            with open(oracle_path) as f:
                oracle = json.load(f)
            hm = hm_json(a.hm, a.hm_json, key, target)
            res.append((key, compare_flake(oracle, hm)))
        return res

    main_rows = flake_rows(read_list(a.repos or os.path.join(corpus, "repos.txt")))
    extra_rows = flake_rows(read_list(a.repos_extra))

    cols = [("hc", "homeConfigurations"), ("users", "NixOS/darwin HM users"), ("svc", "user services")]

    def table(rows, total):
        out = ["| repo | homeConfigurations found/oracle (+extra) | HM users found/oracle (+extra) "
               "| services found/oracle (+extra) | hm users/services on oracle-error entries (unscored) |",
               "|---|---|---|---|---|"]
        tot = collections.Counter()
        for key, r in rows:
            cells = []
            for c, _ in cols:
                fo, orc, ex = r[f"{c}_found"], r[f"{c}_oracle"], len(r[f"{c}_extra"])
                tot[f"{c}_found"] += fo
                tot[f"{c}_oracle"] += orc
                tot[f"{c}_extra"] += ex
                cells.append(f"{fo}/{orc}" + (f" (+{ex})" if ex else ""))
            un = f"{len(r['users_unscored'])}/{len(r['svc_unscored'])}"
            tot["users_unscored"] += len(r["users_unscored"])
            tot["svc_unscored"] += len(r["svc_unscored"])
            out.append(f"| {key} | " + " | ".join(cells) + f" | {un} |")
        if total:
            cells = []
            for c, _ in cols:
                fo, orc, ex = tot[f"{c}_found"], tot[f"{c}_oracle"], tot[f"{c}_extra"]
                cells.append(f"**{fo}/{orc} ({pct(fo, orc)})**" + (f" (+{ex})" if ex else ""))
            out.append(f"| **total** | " + " | ".join(cells)
                       + f" | {tot['users_unscored']}/{tot['svc_unscored']} |")
        return out, tot

    lines = ["## Flake level: users and services (names)", ""]
    t, tot = table(main_rows, True)
    lines += t
    lines += ["", "### Totals", "",
              "| | oracle | found by hm | recall | extras (hm only) | precision |", "|---|---|---|---|---|---|"]
    for c, label in cols:
        fo, orc, ex = tot[f"{c}_found"], tot[f"{c}_oracle"], tot[f"{c}_extra"]
        lines.append(f"| {label} | {orc} | {fo} | {pct(fo, orc)} | {ex} | {pct(fo, fo + ex)} |")
    fo = sum(tot[f"{c}_found"] for c, _ in cols[:2])
    orc = sum(tot[f"{c}_oracle"] for c, _ in cols[:2])
    ex = sum(tot[f"{c}_extra"] for c, _ in cols[:2])
    lines.append(f"| all users (HC + HM users) | {orc} | {fo} | {pct(fo, orc)} | {ex} | {pct(fo, fo + ex)} |")
    if extra_rows:
        lines += ["", "### Not in the totals (flakes in subdirectories)", ""]
        lines += table(extra_rows, False)[0]

    lines += ["", "### Misses and extras per repo", ""]
    for key, r in main_rows + extra_rows:
        bits = []
        for c, label in cols:
            if r[f"{c}_missed"]:
                bits.append(f"missed {label}: {short_list(r[f'{c}_missed'], 100 if a.details else 4)}")
            if r[f"{c}_extra"]:
                bits.append(f"extra {label}: {short_list(r[f'{c}_extra'], 100 if a.details else 4)}")
        if r["svc_unscored"]:
            bits.append(f"unscored services: {short_list(r['svc_unscored'], 100 if a.details else 4)}")
        probs = [f"{p.get('code')} {p.get('message')}" for p in r["problems"]]
        if probs:
            bits.append(f"hm problems: {short_list(probs, 3)}")
        if bits:
            lines.append(f"- **{key}**: " + "; ".join(bits))

    # dynamic reasons, weighted by what was missed in the repo
    lines += ["", "## hm `dynamic` reasons in repos where hm missed something", "",
              "| reason (names elided) | defines | repos | entries | oracle users+services missed in those repos |",
              "|---|---|---|---|---|"]
    agg = collections.defaultdict(lambda: [set(), 0, 0])
    for key, r in main_rows:
        missed = len(r["hc_missed"]) + len(r["users_missed"]) + len(r["svc_missed"])
        if not missed:
            continue
        seen = set()
        for dyn in r["dynamic"]:
            k = (reason_class(dyn["reason"]), dyn["defines"])
            agg[k][0].add(key)
            agg[k][1] += 1
            if k not in seen:
                agg[k][2] += missed
                seen.add(k)
    for (reason, defines), (repos, n, missed) in sorted(agg.items(), key=lambda kv: -kv[1][2]):
        lines.append(f"| {reason} | {defines} | {len(repos)} | {n} | {missed} |")
    lines += ["", "Raw reasons per repo:", ""]
    for key, r in main_rows + extra_rows:
        c = collections.Counter(f"{d['defines']}: {d['reason']}" for d in r["dynamic"])
        if c:
            lines.append(f"- **{key}**: " + "; ".join(f"{k} ×{v}" for k, v in c.most_common()))

    # module level
    mods = read_list(a.modules)
    if mods:
        lines += ["", "## Module level: the same Home Manager module through the home-mode oracle and "
                  "`hm services <file>`", "",
                  "| repo | module | oracle | services found/oracle (+extra) | conditional-only found/oracle "
                  "| ExecStart agree strict (lenient) | Description | WantedBy |",
                  "|---|---|---|---|---|---|---|---|"]
        ftot = collections.Counter()
        disagreements = []
        distinct = {}  # (repo, service) -> {field: strict} from the first module that has it
        for d, rel in mods:
            name = f"{d}.home.{slug(rel)}.oracle.json"
            cands = ([os.path.join(a.oracle_home, name)] if a.oracle_home else []) + [os.path.join(corpus, name)]
            path = next((p for p in cands if os.path.exists(p)), None)
            if not path:
                lines.append(f"| {d} | {rel} | missing | | | | | |")
                continue
            with open(path) as f:
                oracle = json.load(f)
            hm = hm_json(a.hm, a.hm_json, f"{d}.home.{slug(rel)}", os.path.join(corpus, d, rel))
            r = compare_module(oracle, hm)
            if r["oracle_status"] != "ok":
                lines.append(f"| {d} | {rel} | {r['oracle_status']}: {r['reason'][:60]} | | | | | |")
                ftot["modules_skipped"] += 1
                continue
            ftot["modules"] += 1
            ftot["svc_oracle"] += r["svc_oracle"]
            ftot["svc_found"] += len(r["svc_found"])
            ftot["svc_extra"] += len(r["svc_extra"])
            ftot["cond_oracle"] += r["cond_oracle"]
            ftot["cond_found"] += len(r["cond_found"])
            per = {}
            for svc, field, hv, ov, strict, lenient in r["fields"]:
                distinct.setdefault((d, svc), {}).setdefault(field, strict)
                s = per.setdefault(field, [0, 0, 0])
                if strict is None:
                    continue
                s[0] += bool(strict)
                s[1] += bool(lenient)
                s[2] += 1
                ftot[f"{field}_strict"] += bool(strict)
                ftot[f"{field}_lenient"] += bool(lenient)
                ftot[f"{field}_n"] += 1
                if not strict:
                    disagreements.append((d, rel, svc, field, hv, ov, lenient))
            ex = len(r["svc_extra"])
            cells = [f"{len(r['svc_found'])}/{r['svc_oracle']}" + (f" (+{ex})" if ex else ""),
                     f"{len(r['cond_found'])}/{r['cond_oracle']}"]
            for field, _ in FIELDS:
                st, le, n = per.get(field, [0, 0, 0])
                cells.append(f"{st}/{n}" + (f" ({le})" if field == "ExecStart" else ""))
            lines.append(f"| {d} | {rel} | ok | " + " | ".join(cells) + " |")
        lines += ["", "### Module-level totals", "",
                  f"- modules compared: {ftot['modules']} ({ftot['modules_skipped']} skipped by the oracle)",
                  f"- services present (unconditional or behind a true condition): "
                  f"{ftot['svc_found']}/{ftot['svc_oracle']} found ({pct(ftot['svc_found'], ftot['svc_oracle'])}), "
                  f"{ftot['svc_extra']} extras",
                  f"- services that exist only when their condition holds (`absent_conditional`): "
                  f"{ftot['cond_found']}/{ftot['cond_oracle']} reported by hm with a condition"]
        for field, _ in FIELDS:
            st, le, n = ftot[f"{field}_strict"], ftot[f"{field}_lenient"], ftot[f"{field}_n"]
            lines.append(f"- {field}: {st}/{n} agree ({pct(st, n)}) under the oracle stand-in rule; "
                         f"{le}/{n} ({pct(le, n)}) if any `${{…}}` may stand for any text")
        dn = len(distinct)
        lines.append(f"- the rows overlap (a module and a file it imports): {dn} distinct (repo, service) pairs; "
                     + ", ".join(f"{field} {sum(1 for v in distinct.values() if v.get(field))}/"
                                 f"{sum(1 for v in distinct.values() if v.get(field) is not None)}"
                                 for field, _ in FIELDS) + " agree (strict, first module listing it)")
        if disagreements:
            lines += ["", "### Field disagreements (strict rule)", "",
                      "| module | service | field | hm | oracle | lenient |", "|---|---|---|---|---|---|"]
            for d, rel, svc, field, hv, ov, lenient in disagreements:
                lines.append(f"| {d}/{rel} | {svc} | {field} | `{clip(hv)}` | `{clip(ov)}` | "
                             f"{'yes' if lenient else 'no'} |")
    print("\n".join(lines))


def clip(v, n=90):
    s = json.dumps(v) if not isinstance(v, str) else v
    s = s.replace("\n", "\\n").replace("|", "\\|").replace("`", "'")
    return s if len(s) <= n else s[: n - 1] + "…"


if __name__ == "__main__":
    main()
