#!/usr/bin/env python3
"""Writes a large, realistic Home Manager configuration for benchmarks.

    bench/generate.py DIR [FILES]

DIR/home.nix imports DIR/modules (a default.nix per group of 50 modules); each module is
a `{ config, lib, pkgs, ... }:` function with `let`, `with`, `lib.mkIf`, a systemd user
service, packages and a config file, about 1.7 KB, so 3,000 files make about 5 MB.
"""
import os
import sys

GROUP = 50

MODULE = """{{ config, lib, pkgs, ... }}:
let
  cfg = config.programs.tool{n};
  name = "tool{n}";
  settings = {{
    theme = "dark";
    font-size = {size};
    keybindings = [ "ctrl+c" "ctrl+v" "ctrl+{key}" ];
  }};
in
{{
  options.programs.tool{n}.enable = lib.mkEnableOption "tool {n}";

  config = lib.mkIf cfg.enable (lib.mkMerge [
    {{
      home.packages = with pkgs; [ hello ripgrep ];
      home.sessionVariables.TOOL{n}_HOME = "${{config.home.homeDirectory}}/.local/share/${{name}}";

      xdg.configFile."${{name}}/config.toml".text = ''
        # Generated for tool {n}
        [general]
        theme = "${{settings.theme}}"
        font_size = ${{toString settings.font-size}}
        history = 10000
        autosave = true

        [paths]
        data = "~/.local/share/${{name}}"
        cache = "~/.cache/${{name}}"
      '';

      systemd.user.services.${{name}} = {{
        Unit = {{
          Description = "Tool {n}: background sync";
          After = [ "graphical-session.target" ];
          PartOf = [ "graphical-session.target" ];
        }};
        Service = {{
          ExecStart = "${{pkgs.hello}}/bin/hello --daemon --name ${{name}}";
          Restart = "on-failure";
          RestartSec = 5;
          Environment = [ "TOOL_LOG=info" "TOOL_ID={n}" ];
        }};
        Install.WantedBy = [ "graphical-session.target" ];
      }};
    }}
    (lib.mkIf (settings.font-size > 12) {{
      systemd.user.timers."${{name}}-cleanup" = {{
        Timer.OnCalendar = "weekly";
        Install.WantedBy = [ "timers.target" ];
      }};
    }})
  ]);
}}
"""


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    groups = (count + GROUP - 1) // GROUP
    os.makedirs(os.path.join(root, "modules"), exist_ok=True)
    with open(os.path.join(root, "home.nix"), "w") as f:
        f.write('{ pkgs, ... }:\n{\n  imports = [ ./modules ];\n  home.username = "alice";\n'
                '  home.homeDirectory = "/home/alice";\n  home.stateVersion = "24.11";\n')
        f.write("".join(f"  programs.tool{n}.enable = true;\n" for n in range(0, count, 7)))
        f.write("}\n")
    with open(os.path.join(root, "modules", "default.nix"), "w") as f:
        f.write("{\n  imports = [\n" + "".join(f"    ./group{g:03}\n" for g in range(groups)) + "  ];\n}\n")
    for g in range(groups):
        group = os.path.join(root, "modules", f"group{g:03}")
        os.makedirs(group, exist_ok=True)
        members = range(g * GROUP, min(count, (g + 1) * GROUP))
        with open(os.path.join(group, "default.nix"), "w") as f:
            f.write("{\n  imports = [\n" + "".join(f"    ./tool{n:04}.nix\n" for n in members) + "  ];\n}\n")
        for n in members:
            with open(os.path.join(group, f"tool{n:04}.nix"), "w") as f:
                f.write(MODULE.format(n=n, size=10 + n % 8, key=chr(97 + n % 26)))


if __name__ == "__main__":
    main()
