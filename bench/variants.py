#!/usr/bin/python3
"""variants.py KIND < queries.tsv > variant.tsv: a robustness variant of
an evaluation set's queries, as `make eval` scores them. Deterministic:
a generator of its own with a fixed seed, so the same file gives the
same variant on any machine. Never stored: eval.sh makes it each run.

  typo    one edit (a letter inserted, deleted, replaced, or two
          neighbours swapped) in the query's longest English word of
          four letters or more
  char    one Chinese character replaced by another, drawn from the
          commonest few hundred
  filler  the words a customer wraps a question in: 你好，请问…谢谢 for
          a Chinese query, "Hi, please … thanks" for an English one

A query the variant cannot change (no English word, no Chinese
character) is kept as it is. Lines are "query<TAB>expected id".
"""
import re
import sys

# Common Chinese characters, the first few hundred of a frequency list.
COMMON = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之"
    "过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前"
    "所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声"
    "全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使"
    "教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑"
    "性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果"
    "亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让"
    "认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留"
    "红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息"
    "写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则"
    "首单直错款退货换修价费票账密码登录网店买卖送收件递物流快递寄包裹坏质量售后服务客诉投"
)

class Rng:
    """A Park-Miller generator: the same sequence on every Python."""
    def __init__(self, seed):
        self.s = seed
    def below(self, n):
        self.s = self.s * 48271 % 2147483647
        return self.s % n

LETTERS = "abcdefghijklmnopqrstuvwxyz"

def is_cjk(c):
    return "\u4e00" <= c <= "\u9fff"

def typo(q, rng):
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", q)]
    if not words:
        return q
    m = max(words, key=lambda m: (len(m.group()), -m.start()))
    w = m.group()
    kind = rng.below(4)
    i = rng.below(len(w))
    if kind == 0:
        w = w[:i] + LETTERS[rng.below(26)] + w[i:]
    elif kind == 1:
        w = w[:i] + w[i + 1:]
    elif kind == 2:
        c = LETTERS[rng.below(25)]
        if c == w[i].lower():
            c = "z"
        w = w[:i] + c + w[i + 1:]
    else:
        i = min(i, len(w) - 2)
        if w[i] == w[i + 1]:
            w = w[:i] + w[i + 1:]
        else:
            w = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    return q[:m.start()] + w + q[m.end():]

def char(q, rng):
    at = [i for i, c in enumerate(q) if is_cjk(c)]
    if not at:
        return q
    i = at[rng.below(len(at))]
    c = COMMON[rng.below(len(COMMON))]
    while c == q[i]:
        c = COMMON[rng.below(len(COMMON))]
    return q[:i] + c + q[i + 1:]

def filler(q, rng):
    if any(is_cjk(c) for c in q):
        return "你好，请问" + q + "谢谢"
    if re.search(r"[A-Za-z]", q):
        return "Hi, please " + q + " thanks"
    return q

def main():
    kinds = {"typo": typo, "char": char, "filler": filler}
    if len(sys.argv) != 2 or sys.argv[1] not in kinds:
        sys.stderr.write("usage: variants.py typo|char|filler < queries.tsv\n")
        return 2
    make = kinds[sys.argv[1]]
    rng = Rng(20261203)
    for line in sys.stdin.buffer.read().decode("utf-8").splitlines():
        q, _, want = line.partition("\t")
        sys.stdout.write(make(q, rng).replace("\t", " ") + "\t" + want + "\n")
    return 0

if __name__ == "__main__":
    sys.exit(main())
