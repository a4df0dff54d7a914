//! `gazetteer-builder IN.tsv OUT.fst ...`: each TSV has `key<TAB>u64` lines, sorted by key bytes,
//! keys unique; each becomes an `fst::Map`. The output depends only on the input.

use std::io::{BufRead, BufReader, BufWriter, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || !args.len().is_multiple_of(2) {
        eprintln!("usage: gazetteer-builder IN.tsv OUT.fst [IN.tsv OUT.fst ...]");
        std::process::exit(2);
    }
    for pair in args.chunks(2) {
        if let Err(e) = build(&pair[0], &pair[1]) {
            eprintln!("{}: {e}", pair[0]);
            std::process::exit(1);
        }
    }
}

fn build(input: &str, output: &str) -> Result<(), Box<dyn std::error::Error>> {
    let reader = BufReader::new(std::fs::File::open(input)?);
    let mut out = BufWriter::new(std::fs::File::create(output)?);
    let mut map = fst::MapBuilder::new(&mut out)?;
    let mut n = 0usize;
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        let (key, value) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: no tab", i + 1))?;
        let value: u64 = value.parse().map_err(|e| format!("line {}: {e}", i + 1))?;
        // insert() rejects keys out of order or repeated, which is what the TSV promises.
        map.insert(key, value)
            .map_err(|e| format!("line {}: {e}", i + 1))?;
        n += 1;
    }
    map.finish()?;
    out.flush()?;
    eprintln!("{output}: {n} keys");
    Ok(())
}
