# hm's completions for nushell: hm answers with candidates drawn from your configuration
# and profile (users, hosts, services, generation ids), as it does for bash, zsh and fish.
# Load it from config.nu (`source hm.nu`). A completer set before it still completes
# every other command.
let hm_completer = {|spans: list<string>|
    COMPLETE=fish ^hm -- ...$spans
    | lines
    | parse --regex '^(?<value>[^\t]*)(?:\t(?<description>.*))?$'
    | default "" description
}
let hm_previous_completer = $env.config?.completions?.external?.completer?
$env.config.completions.external.enable = true
$env.config.completions.external.completer = {|spans: list<string>|
    if ($spans | first | path basename) == "hm" {
        do $hm_completer $spans
    } else if $hm_previous_completer != null {
        do $hm_previous_completer $spans
    }
}
