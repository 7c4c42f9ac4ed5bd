# fish completion for kefu: kb-init, kb-index, kb-search, kb-show, kb-lint,
# kb-propose, kb-proposals, kb-diff, kb-approve, kb-reject, kb-log, kb-receive.
# fish loads completions by command name: install this file, or a link to
# it, as kb-init.fish, kb-index.fish and so on, or source it from config.fish.

# The desk, found as kefu finds it: from -C DIR on the command line
# upward, else $KEFU_DIR, else upward from the current directory to a
# directory holding .git and kb/.
function __kefu_desk
    set -l tokens (commandline -opc)
    set -l dir
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case -C --directory
                set -l j (math $i + 1)
                if test $j -le (count $tokens)
                    set dir $tokens[$j]
                end
            case '--directory=?*'
                set dir (string replace -- --directory= '' $tokens[$i])
            case '-C?*'
                set dir (string sub -s 3 -- $tokens[$i])
        end
        set i (math $i + 1)
    end
    if test -z "$dir"; and set -q KEFU_DIR; and test -n "$KEFU_DIR"
        if test -e "$KEFU_DIR/.git" -a -d "$KEFU_DIR/kb"
            echo $KEFU_DIR
            return 0
        end
        return 1
    end
    test -n "$dir"; or set dir .
    set dir (string replace -r '^~(?=/|$)' -- $HOME $dir)
    test -d "$dir"; or return 1
    set dir (builtin realpath -- $dir 2>/dev/null); or return 1
    while true
        if test -e "$dir/.git" -a -d "$dir/kb"
            echo $dir
            return 0
        end
        test "$dir" = /; and return 1
        set dir (dirname -- $dir)
    end
end

function __kefu_categories
    set -l desk (__kefu_desk); or return
    for d in $desk/kb/*/
        basename -- $d
    end
end

function __kefu_ids
    set -l desk (__kefu_desk); or return
    for f in $desk/kb/*/*.yaml
        string replace -r '\.yaml$' '' -- (basename -- $f)
    end
end

# Tags of every entry, from their tags: lines, flow ([a, b]) or block (- a).
function __kefu_tags
    set -l desk (__kefu_desk); or return
    set -l files $desk/kb/*/*.yaml
    test (count $files) -gt 0; or return
    awk '
        function put(t) {
            gsub(/^[ \t"\047]+|[ \t"\047]+$/, "", t)
            if (t != "") print t
        }
        FNR == 1 { block = 0 }
        /^tags:/ {
            s = $0
            sub(/^tags:[ \t]*/, "", s)
            sub(/[ \t]+#.*$/, "", s)
            block = (s == "")
            if (s ~ /^\[/) {
                gsub(/[][]/, "", s)
                n = split(s, a, ",")
                for (i = 1; i <= n; i++) put(a[i])
            }
            next
        }
        block && /^[ \t]*-[ \t]/ { s = $0; sub(/^[ \t]*-[ \t]*/, "", s); put(s); next }
        { block = 0 }
    ' $files 2>/dev/null | sort -u
end

function __kefu_refs
    set -l desk (__kefu_desk); or return
    git -C $desk for-each-ref --format='%(refname:short)' 2>/dev/null
end

# The proposals of the desk: its branches under refs/heads/proposal/.
function __kefu_proposals
    set -l desk (__kefu_desk); or return
    git -C $desk for-each-ref --format='%(refname:short)' refs/heads/proposal/ 2>/dev/null
end

# True while the token being completed is an operand, not an option.
function __kefu_operand
    not string match -q -- '-*' (commandline -ct)
end

# What every command takes.
for cmd in kb-init kb-index kb-search kb-show kb-lint kb-propose kb-proposals kb-diff kb-approve kb-reject kb-log kb-receive
    complete -c $cmd -s h -l help -d 'Show help'
    complete -c $cmd -l version -d 'Show the version'
end
for cmd in kb-index kb-search kb-show kb-lint kb-propose kb-proposals kb-diff kb-approve kb-reject kb-log
    complete -c $cmd -s C -l directory -x -a '(__fish_complete_directories)' -d 'Use the desk at or above DIR'
end

# kb-init [--sample] [-C DIR] [DIRECTORY]
complete -c kb-init -f
complete -c kb-init -s C -l directory -x -a '(__fish_complete_directories)' -d 'Run as if started in DIR'
complete -c kb-init -l sample -d 'Fill it with the sample desk: entries and workflows'
complete -c kb-init -n 'not string match -q -- "-*" (commandline -ct)' -a '(__fish_complete_directories)'

# kb-index [-qv] [--full] [-C DIR]
complete -c kb-index -f
complete -c kb-index -l full -d 'Rebuild the index from every entry on main'
complete -c kb-index -s q -l quiet -d 'Do not warn about entries skipped as invalid'
complete -c kb-index -s v -l verbose -d 'Print what changed'

# kb-search [-a] [-c CATEGORY] [-t TAG]... [-n N] [--json] [-C DIR] QUERY...
complete -c kb-search -f
complete -c kb-search -s a -l all -d 'Include entries not yet effective or expired'
complete -c kb-search -s c -l category -x -a '(__kefu_categories)' -d 'Only entries of this category'
complete -c kb-search -s t -l tag -x -a '(__kefu_tags)' -d 'Only entries with this tag'
complete -c kb-search -s n -l limit -x -d 'At most N entries (default 10)'
complete -c kb-search -l json -d 'JSON Lines'

# kb-show [--json | --yaml] [--at REV] [-C DIR] ID...
complete -c kb-show -f
complete -c kb-show -l at -x -a '(__kefu_refs)' -d 'The entry as it was at a commit, branch or tag'
complete -c kb-show -l json -n 'not __fish_seen_argument -l json -l yaml' -d 'JSON Lines with every field'
complete -c kb-show -l yaml -n 'not __fish_seen_argument -l json -l yaml' -d 'The file as committed'
complete -c kb-show -n 'not string match -q -- "-*" (commandline -ct)' -a '(__kefu_ids)' -d 'Entry'

# kb-lint [-C DIR] [FILE | DIRECTORY]...
complete -c kb-lint -f
complete -c kb-lint -n 'not string match -q -- "-*" (commandline -ct)' -a '(__fish_complete_suffix .yaml)'

# kb-propose [-m REASON] [--amend PROPOSAL] [-C DIR] FILE...
# kb-propose --delete -m REASON [--amend PROPOSAL] [-C DIR] ID...
complete -c kb-propose -s m -l message -x -d 'Why: the reason, kept in the commit'
complete -c kb-propose -l amend -x -a '(__kefu_proposals)' -d 'Add a revision to this proposal'
complete -c kb-propose -l delete -d 'The arguments are ids of entries to delete'
complete -c kb-propose -n '__fish_seen_argument -l delete; and __kefu_operand' -f -a '(__kefu_ids)' -d 'Entry'

# kb-proposals [-a] [--json] [-C DIR]
complete -c kb-proposals -f
complete -c kb-proposals -s a -l all -d 'Approved proposals too'
complete -c kb-proposals -l json -d 'JSON Lines'

# kb-diff [--json] [-C DIR] PROPOSAL
complete -c kb-diff -f
complete -c kb-diff -l json -d 'JSON Lines, one object per entry'
complete -c kb-diff -n __kefu_operand -a '(__kefu_proposals)' -d 'Proposal'

# kb-approve [-m COMMENT] [-C DIR] PROPOSAL
complete -c kb-approve -f
complete -c kb-approve -s m -l message -x -d 'A note kept in the merge commit'
complete -c kb-approve -n __kefu_operand -a '(__kefu_proposals)' -d 'Proposal'

# kb-reject -m REASON [-C DIR] PROPOSAL
complete -c kb-reject -f
complete -c kb-reject -s m -l message -x -d 'Why, for the author (required)'
complete -c kb-reject -n __kefu_operand -a '(__kefu_proposals)' -d 'Proposal'

# kb-log [-n N] [--json] [-C DIR] [ID]
complete -c kb-log -f
complete -c kb-log -s n -l limit -x -d 'At most N events'
complete -c kb-log -l json -d 'JSON Lines'
complete -c kb-log -n __kefu_operand -a '(__kefu_ids)' -d 'Entry'

# kb-receive [-C DIR] < UPDATES
complete -c kb-receive -f
complete -c kb-receive -s C -l directory -x -a '(__fish_complete_directories)' -d 'The repository'
