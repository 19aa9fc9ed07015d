# News entries, as Home Manager's modules/misc/news: `news.json.output` is the JSON file
# `home-manager news` (and `hm news`) reads: { display, entries = [ { id, time,
# condition, message } ] }, each id the sha256 of its message unless given.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.news;
  entry = e: {
    id = e.id or (builtins.hashString "sha256" e.message);
    condition = e.condition or true;
    inherit (e) time message;
  };
in
{
  options.news = {
    display = mkOption { type = types.str; default = "notify"; };
    entries = mkOption { type = types.listOf types.attrs; default = [ ]; };
    json.output = mkOption { type = types.package; };
  };
  config.news.json.output = pkgs.writeText "hm-news.json"
    (builtins.toJSON { inherit (cfg) display; entries = map entry cfg.entries; });
}
