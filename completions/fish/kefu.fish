# fish completion for kefu: kb-init, kb-index, kb-search, kb-show, kb-lint,
# kb-propose, kb-proposals, kb-diff, kb-approve, kb-reject, kb-log, kb-receive,
# kb-use, kb-mine, kb-pick, kb-import, kb-export, ticket-open, ticket-route,
# ticket-claim, ticket-update, ticket-close, ticket-reopen, ticket-show,
# ticket-list, ticket-followup, ticket-report, ticket-export, ticket-import, agent-status,
# sla-check, sla-due.
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

# The ids of your own entries, as kb-mine lists them.
function __kefu_mine_ids
    set -l desk (__kefu_desk); or return
    kb-mine -C $desk 2>/dev/null | cut -f 1
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

# The desk's tickets, as ticket-list -a gives them, quietly; not before the
# desk database exists, which ticket-list would otherwise create.
function __kefu_tickets
    set -l desk (__kefu_desk); or return
    test -f "$desk/.kefu/desk.db"; or return
    ticket-list -C $desk -a 2>/dev/null | cut -f1
end

# The values of a key in a workflow file, in block (- key: v) or flow
# ({key: v, ...}) style: __kefu_workflow FILE KEY [dash].
function __kefu_workflow
    set -l desk (__kefu_desk); or return
    test -f "$desk/workflows/$argv[1]"; or return
    set -l dash $argv[3]
    awk -v key=$argv[2] -v dash="$dash" '
        {
            line = $0
            if (line ~ /^[ \t]*#/)
                next
            sub(/[ \t]+#.*$/, "", line)
            re = (dash ? "^[ \t]*-[ \t]*(\\{[ \t]*)?" : "(^|[ \t{,])") key ":[ \t]*"
            if (!match(line, re))
                next
            v = substr(line, RSTART + RLENGTH)
            sub(/[,}].*$/, "", v)
            gsub(/^[ \t"\047]+|[ \t"\047]+$/, "", v)
            if (v != "") print v
        }
    ' $desk/workflows/$argv[1] 2>/dev/null
end

# The people of roles.yaml, the departments of routing.yaml, the types of
# classify.yaml.
function __kefu_agents
    __kefu_workflow roles.yaml email
end

function __kefu_departments
    __kefu_workflow routing.yaml name dash
end

function __kefu_types
    __kefu_workflow classify.yaml type dash
end

# The follow-up calls of workflows/followups.yaml, and the dates (NAME=)
# their rules follow.
function __kefu_followups
    __kefu_workflow followups.yaml name dash
end

function __kefu_dates
    __kefu_workflow followups.yaml on | string match -v -r '^(opened|resolved|closed)$' | sort -u | string replace -r '$' '='
end

# The calendars of workflows/calendars.yaml: the keys indented two spaces
# under its top-level calendars: key.
function __kefu_calendars
    set -l desk (__kefu_desk); or return
    test -f "$desk/workflows/calendars.yaml"; or return
    awk '
        /^calendars:[ \t]*(#.*)?$/ { inside = 1; next }
        /^[^ \t#]/ { inside = 0 }
        inside && /^  [^ \t#-]/ {
            s = substr($0, 3)
            sub(/[ \t]*:([ \t].*)?$/, "", s)
            gsub(/^["\047]|["\047]$/, "", s)
            if (s != "") print s
        }
    ' $desk/workflows/calendars.yaml 2>/dev/null
end

# agent-status's operands so far: none, an agent, or a status.
function __kefu_status_operands
    set -l tokens (commandline -opc)
    set -l n 0
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
        else if contains -- $t -C --directory
            set skip 1
        else if not string match -q -- '-*' $t
            set n (math $n + 1)
            contains -- $t available away; and set n 2
        end
    end
    echo $n
end

# True while the token being completed is an operand, not an option.
function __kefu_operand
    not string match -q -- '-*' (commandline -ct)
end

# What every command takes.
for cmd in kb-init kb-index kb-search kb-show kb-lint kb-propose kb-proposals kb-diff kb-approve kb-reject kb-log kb-receive kb-use kb-mine kb-pick kb-import kb-export ticket-open ticket-route ticket-claim ticket-update ticket-close ticket-reopen ticket-show ticket-list ticket-followup ticket-report ticket-export ticket-import agent-status sla-check sla-due
    complete -c $cmd -s h -l help -d 'Show help'
    complete -c $cmd -l version -d 'Show the version'
end
for cmd in kb-index kb-search kb-show kb-lint kb-propose kb-proposals kb-diff kb-approve kb-reject kb-log kb-use kb-mine kb-pick kb-import kb-export ticket-open ticket-route ticket-claim ticket-update ticket-close ticket-reopen ticket-show ticket-list ticket-followup ticket-report ticket-export ticket-import agent-status sla-check sla-due
    complete -c $cmd -s C -l directory -x -a '(__fish_complete_directories)' -d 'Use the desk at or above DIR'
end

# kb-init [--sample] [--db URI] [--shared GROUP] [-C DIR] [DIRECTORY] | --server [-C DIR] DIRECTORY
complete -c kb-init -f
complete -c kb-init -s C -l directory -x -a '(__fish_complete_directories)' -d 'Run as if started in DIR'
complete -c kb-init -l sample -d 'Fill it with the sample desk: entries and workflows'
complete -c kb-init -l server -d 'A bare repository for a server to push desks to'
complete -c kb-init -l db -x -d 'Keep the tickets in this PostgreSQL database'
complete -c kb-init -l shared -x -a '(__fish_complete_groups)' -d 'A desk every member of the Unix group can use'
complete -c kb-init -n 'not string match -q -- "-*" (commandline -ct)' -a '(__fish_complete_directories)'

# kb-index [-qv] [--full] [-C DIR]
complete -c kb-index -f
complete -c kb-index -l full -d 'Rebuild the index from every entry on main'
complete -c kb-index -s q -l quiet -d 'Do not warn about entries skipped as invalid'
complete -c kb-index -s v -l verbose -d 'Print what changed'

# kb-search [-av] [-c CATEGORY] [-t TAG]... [-n N] [--json] [--scan] [--no-personal]
#           [-C DIR] QUERY...
complete -c kb-search -f
complete -c kb-search -l no-personal -d "Only the desk's entries, not your own"
complete -c kb-search -s a -l all -d 'Include entries not yet effective or expired'
complete -c kb-search -s v -l verbose -d 'Say on stderr how the entries were ranked'
complete -c kb-search -l scan -d 'Rank every match, not from the term lists'
complete -c kb-search -s c -l category -x -a '(__kefu_categories)' -d 'Only entries of this category'
complete -c kb-search -s t -l tag -x -a '(__kefu_tags)' -d 'Only entries with this tag'
complete -c kb-search -s n -l limit -x -d 'At most N entries (default 10)'
complete -c kb-search -l json -d 'JSON Lines'

# kb-show [--say | --json | --yaml] [--at REV] [-C DIR] ID...
complete -c kb-show -f
complete -c kb-show -l at -x -a '(__kefu_refs)' -d 'The entry as it was at a commit, branch or tag'
complete -c kb-show -l say -n 'not __fish_seen_argument -l json -l yaml -l say' -d 'Only what is said to the customer'
complete -c kb-show -l json -n 'not __fish_seen_argument -l json -l yaml -l say' -d 'JSON Lines with every field'
complete -c kb-show -l yaml -n 'not __fish_seen_argument -l json -l yaml -l say' -d 'The file as committed'
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

# kb-mine [--json] | -e ID [-c CATEGORY] | -a FILE... | -r ID... | -p [ID]  [-C DIR]
complete -c kb-mine -f
complete -c kb-mine -s a -l add -d 'Add entries from files'
complete -c kb-mine -s e -l edit -x -a '(__kefu_mine_ids; __kefu_ids)' -d 'Edit an entry with $VISUAL or $EDITOR'
complete -c kb-mine -s c -l category -x -a '(__kefu_categories)' -d 'The category of a new entry'
complete -c kb-mine -s r -l remove -d 'Remove entries'
complete -c kb-mine -s p -l path -d "Print the directory, or an entry's file"
complete -c kb-mine -l json -d 'List as JSON Lines'
complete -c kb-mine -n '__fish_seen_argument -s a -l add; and __kefu_operand' -F -a '(__fish_complete_suffix .yaml)'
complete -c kb-mine -n '__fish_seen_argument -s r -l remove -s p -l path; and __kefu_operand' -a '(__kefu_mine_ids)' -d 'Your entry'

# kb-pick [-t TICKET] [-n N] [--no-personal] [-C DIR] [QUERY...]
complete -c kb-pick -f
complete -c kb-pick -s t -l ticket -x -a '(__kefu_tickets)' -d 'The ticket being answered'
complete -c kb-pick -s n -l limit -x -d 'Entries a search lists (default 50)'
complete -c kb-pick -l no-personal -d "Only the desk's entries, not your own"

# kb-use [-t TICKET] [-n NOTE] [-C DIR] ENTRY
complete -c kb-use -f
complete -c kb-use -s t -l ticket -x -a '(__kefu_tickets)' -d 'The ticket it was used on'
complete -c kb-use -s n -l note -x -d 'How the script was adjusted'
complete -c kb-use -n __kefu_operand -a '(__kefu_ids)' -d 'Entry'

# ticket-open [-t TYPE] [-p PRIORITY] [-c CHANNEL] [-u CUSTOMER] [-s SUBJECT]
#             [--tag TAG]... [--complexity N] [-C DIR] [TEXT...]
# ticket-open --json | --email [-c CHANNEL] [-C DIR]   (JSON: one object or JSON Lines)
complete -c ticket-open -f
complete -c ticket-open -s t -l type -x -a '(__kefu_types)' -d 'The type'
complete -c ticket-open -s p -l priority -x -a 'urgent high normal low' -d 'The priority'
complete -c ticket-open -s c -l channel -x -a 'phone chat email social' -d 'How the customer came'
complete -c ticket-open -s u -l customer -x -d 'Who asks: a phone number, an address, an account'
complete -c ticket-open -s s -l subject -x -d 'What it is about, one line'
complete -c ticket-open -l tag -x -d 'A tag of the customer\'s, e.g. VIP'
complete -c ticket-open -l complexity -x -a '1 2 3 4 5 6 7 8 9 10' -d 'How hard, 1 to 10'
complete -c ticket-open -l json -d 'Read one JSON object, or JSON Lines, on stdin'
complete -c ticket-open -l email -d 'Read an e-mail on stdin'

# ticket-route [--json] [-C DIR] ID...; ticket-route --pending [--json] [-C DIR]
complete -c ticket-route -f
complete -c ticket-route -l pending -d 'Every new ticket nobody has yet'
complete -c ticket-route -l json -d 'JSON Lines'
complete -c ticket-route -n '__kefu_operand; and not __fish_seen_argument -l pending' -a '(__kefu_tickets)' -d 'Ticket'

# ticket-claim [-C DIR] ID
complete -c ticket-claim -f
complete -c ticket-claim -n __kefu_operand -a '(__kefu_tickets)' -d 'Ticket'

# ticket-update [--status S] [--reply TEXT] [--note TEXT] [--transfer DEPT|AGENT]
#               [--type T] [--priority P] [--urge] [--flag REASON] [--worked D]
#               [--date NAME=TIME] [-C DIR] ID
complete -c ticket-update -f
complete -c ticket-update -s s -l status -x -a 'open pending resolved' -d 'Move the ticket'
complete -c ticket-update -s r -l reply -x -d 'What was said to the customer'
complete -c ticket-update -s n -l note -x -d 'An internal note; with --transfer, its reason'
complete -c ticket-update -s T -l transfer -x -a '(__kefu_departments; __kefu_agents)' -d 'To a department or an agent'
complete -c ticket-update -s t -l type -x -a '(__kefu_types)' -d 'Change the type'
complete -c ticket-update -s p -l priority -x -a 'urgent high normal low' -d 'Change the priority'
complete -c ticket-update -l urge -d 'The customer chased it'
complete -c ticket-update -l flag -x -d 'Qa marks it for review'
complete -c ticket-update -l unflag -d 'qa takes the mark off'
complete -c ticket-update -s w -l worked -x -d 'Time spent handling it, e.g. 1h30m'
complete -c ticket-update -l date -x -a '(__kefu_dates)' -d 'A date of the customer\'s, NAME=TIME'
complete -c ticket-update -n __kefu_operand -a '(__kefu_tickets)' -d 'Ticket'

# kb-import [--csv] [-m REASON] [-C DIR] FILE
complete -c kb-import -F
complete -c kb-import -l csv -d 'The sheet is CSV (the default)'
complete -c kb-import -s m -l message -x -d 'Why'

# kb-export [--csv [--bom]] [-C DIR]
complete -c kb-export -f
complete -c kb-export -l csv -d 'CSV (the default)'
complete -c kb-export -l bom -d 'The UTF-8 byte-order mark first, for Excel'

# ticket-export [--json | --csv [--bom]] [--from D] [--to D] [--unmask] [-C DIR]
complete -c ticket-export -f
complete -c ticket-export -l json -d 'JSON Lines, the desk\'s dump (the default)'
complete -c ticket-export -l csv -d 'CSV for spreadsheets'
complete -c ticket-export -l bom -d 'With --csv: the UTF-8 byte-order mark, for Excel'
complete -c ticket-export -l from -x -d 'Tickets created at or after D'
complete -c ticket-export -l to -x -d 'Tickets created on or before D'
complete -c ticket-export -l unmask -d 'Contacts as they are (supervisors only)'

# ticket-import [--json | --csv] [-C DIR] [FILE]
complete -c ticket-import -F
complete -c ticket-import -l json -d 'A dump, JSON Lines (the default)'
complete -c ticket-import -l csv -d 'A spreadsheet, CSV'

# ticket-followup [--due] [--at TIME] [--notify] [--json] [-C DIR] [ID]...
# ticket-followup --done [--note T] [--satisfaction 1-5] [--unresolved] [--name N] ID
# ticket-followup --reschedule TIME [--note T] [--name N] ID
complete -c ticket-followup -f
complete -c ticket-followup -l due -d 'Only the calls to make today'
complete -c ticket-followup -l at -x -d 'As on the day of TIME (ISO 8601)'
complete -c ticket-followup -l notify -d 'Run workflows/hooks/followup-due once a call'
complete -c ticket-followup -l json -d 'JSON Lines'
complete -c ticket-followup -s d -l done -d 'Record the call made'
complete -c ticket-followup -s n -l note -x -d 'What the customer said; why it was moved'
complete -c ticket-followup -s s -l satisfaction -x -a '1 2 3 4 5' -d 'The customer\'s score'
complete -c ticket-followup -s u -l unresolved -d 'The problem is not solved'
complete -c ticket-followup -l name -x -a '(__kefu_followups)' -d 'The call of this rule'
complete -c ticket-followup -s r -l reschedule -x -d 'Move the call to TIME'
complete -c ticket-followup -n __kefu_operand -a '(__kefu_tickets)' -d 'Ticket'

# ticket-report [--from D [--to D] | --day [D] | --week [D] | --month [M]] [--by F] [--kb] [--json|--html]
complete -c ticket-report -f
complete -c ticket-report -l from -x -d 'From this day (YYYY-MM-DD)'
complete -c ticket-report -l to -x -d 'To this day, included'
complete -c ticket-report -l day -d 'That day; without one, yesterday'
complete -c ticket-report -l week -d 'The week holding the day; without one, last week'
complete -c ticket-report -l month -d 'That month (YYYY-MM); without one, last month'
complete -c ticket-report -s b -l by -x -a 'agent department channel type priority day week month' -d 'A record for each'
complete -c ticket-report -l kb -d 'The knowledge report'
complete -c ticket-report -l json -d 'JSON Lines'
complete -c ticket-report -l html -d 'One HTML page with charts'

# ticket-close -r RESULT [-s 1-5] [-f FEEDBACK] [-C DIR] ID
complete -c ticket-close -f
complete -c ticket-close -s r -l result -x -d 'What was done (required)'
complete -c ticket-close -s s -l satisfaction -x -a '1 2 3 4 5' -d 'The customer\'s score'
complete -c ticket-close -s f -l feedback -x -d 'The customer\'s words'
complete -c ticket-close -n __kefu_operand -a '(__kefu_tickets)' -d 'Ticket'

# ticket-reopen [-n NOTE] [-C DIR] ID
complete -c ticket-reopen -f
complete -c ticket-reopen -s n -l note -x -d 'Why'
complete -c ticket-reopen -n __kefu_operand -a '(__kefu_tickets)' -d 'Ticket'

# ticket-show [--json] [-C DIR] ID...
complete -c ticket-show -f
complete -c ticket-show -l json -d 'JSON Lines with the history'
complete -c ticket-show -n __kefu_operand -a '(__kefu_tickets)' -d 'Ticket'

# ticket-list [-a] [-s STATUS]... [-d DEPT] [-A AGENT] [-t TYPE] [-p PRIORITY]
#             [-u CUSTOMER] [-c CHANNEL] [--since TIME] [--until TIME]
#             [--overdue] [--flagged] [-n N] [--json] [-C DIR]
complete -c ticket-list -f
complete -c ticket-list -s a -l all -d 'Every status'
complete -c ticket-list -s s -l status -x -a 'new assigned open pending resolved closed' -d 'This status'
complete -c ticket-list -s d -l department -x -a '(__kefu_departments)' -d 'Of this department'
complete -c ticket-list -s A -l assignee -x -a '(__kefu_agents) me none' -d 'Assigned to this agent, me or none'
complete -c ticket-list -s t -l type -x -a '(__kefu_types)' -d 'Of this type'
complete -c ticket-list -s p -l priority -x -a 'urgent high normal low' -d 'Of this priority'
complete -c ticket-list -s u -l customer -x -d 'Of this customer'
complete -c ticket-list -s c -l channel -x -a 'phone chat email social' -d 'Come by this channel'
complete -c ticket-list -l since -x -d 'Created at or after TIME'
complete -c ticket-list -l until -x -d 'Created before TIME'
complete -c ticket-list -l overdue -d 'Past a due time'
complete -c ticket-list -l flagged -d 'Flagged by qa'
complete -c ticket-list -s n -l limit -x -d 'At most N tickets'
complete -c ticket-list -l json -d 'JSON Lines with every field'

# agent-status [--json] [-C DIR] [AGENT] [available|away]
complete -c agent-status -f
complete -c agent-status -l json -d 'JSON Lines'
complete -c agent-status -n '__kefu_operand; and test (__kefu_status_operands) = 0' -a '(__kefu_agents)' -d 'Agent'
complete -c agent-status -n '__kefu_operand; and test (__kefu_status_operands) -lt 2' -a 'available away' -d 'Status'

# sla-check [--at TIME] [-s STATE]... [--escalate] [--json] [-C DIR]
complete -c sla-check -f
complete -c sla-check -l at -x -d 'Check at TIME (ISO 8601) instead of now'
complete -c sla-check -s s -l state -x -a 'ok soon paused breached' -d 'Only clocks in this state'
complete -c sla-check -l escalate -d 'Act on each breach once (a supervisor)'
complete -c sla-check -l json -d 'JSON Lines'

# sla-due [-c CALENDAR] [-u] [--pause FROM/TO]... [-C DIR] FROM DURATION
# sla-due [-c CALENDAR] --between [--pause FROM/TO]... [-C DIR] FROM TO
complete -c sla-due -f
complete -c sla-due -s c -l calendar -x -a '(__kefu_calendars)' -d 'The calendar (default: business, else the first)'
complete -c sla-due -l between -d 'The business time from FROM to TO'
complete -c sla-due -l pause -x -d 'A span FROM/TO that counts nothing'
complete -c sla-due -s u -l utc -d 'Print the due instant in UTC'
