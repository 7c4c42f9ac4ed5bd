#!/usr/bin/python3
"""xapian-peer.py ENTRIES QUERIES...: the peer engine of `make eval`.

Xapian (Debian's python3-xapian), as one would set it up for an FAQ:
the entries of ENTRIES (JSON Lines: id, title, keywords, answer) in an
in-memory database, title, keywords and answer indexed with the English
stemmer and CJK n-grams (every character and every pair, as kefu's own
tokenizer gives), the title's terms counted three times and the
keywords' twice; each query of each QUERIES file ("query<TAB>id" lines) cut into
terms the same way, the terms OR-ed (any term matches),
ranked by Xapian's BM25 with its default parameters. Writes QUERIES.out:
for each query k a line "\\036k", then the ids of the best ten, one a
line, what eval.sh scores.
"""
import json
import sys

import xapian

TITLE, KEYWORDS, ANSWER = 3, 2, 1


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: xapian-peer.py ENTRIES QUERIES...\n")
        return 2
    db = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("en"))
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(e.get("title", ""), TITLE)
            tg.increase_termpos()
            for k in e.get("keywords") or []:
                tg.index_text(k, KEYWORDS)
                tg.increase_termpos()
            tg.index_text(e.get("answer", ""), ANSWER)
            doc.set_data(e["id"])
            db.add_document(doc)
    # The query's terms, made as the entries' were; Xapian's QueryParser
    # would AND a query's CJK n-grams together.
    qtg = xapian.TermGenerator()
    qtg.set_stemmer(xapian.Stem("en"))
    qtg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())
    for name in sys.argv[2:]:
        with open(name, encoding="utf-8") as f, open(name + ".out", "w", encoding="utf-8") as out:
            for k, line in enumerate(f, 1):
                q = line.rstrip("\n").split("\t")[0]
                out.write("\036%d\n" % k)
                doc = xapian.Document()
                qtg.set_document(doc)
                qtg.index_text(q)
                # Stemmed words (Z prefix), CJK n-grams and numbers.
                terms = [t.term for t in doc.termlist()
                         if t.term[:1] == b"Z" or not t.term[:1].isalpha()
                         or t.term[:1] >= b"\x80"]
                if not terms:
                    continue
                enq.set_query(xapian.Query(xapian.Query.OP_OR, terms))
                for m in enq.get_mset(0, 10):
                    out.write(m.document.get_data().decode("utf-8") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
