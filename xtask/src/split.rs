//! Code splitting: cuts the app's wasm at its lazy routes into a main module and chunks that
//! the browser fetches when a route first needs them.
//!
//! The app marks its split points with Leptos's `#[lazy_route]`; each one compiles to an import
//! from a placeholder module that [`wasm_split_cli_support`] (the splitter cargo-leptos uses)
//! resolves. It needs the relocations the linker keeps with `--emit-relocs` (see
//! [`crate::wasm::build_app`]). Its output is:
//! - the main module, which wasm-bindgen then binds as usual;
//! - one `.wasm` per split point and per group of functions shared by several of them;
//! - an ES module (the link module) that fetches, instantiates and links those chunks
//!   against the main module's memory, table and exports.
//!
//! The link module lists every chunk of every split point, so it grows with the app; the main
//! module imports it statically, which would put all of it in the first load. So the main
//! module imports a stub instead ([`link_stub`]): one forwarding line per split point, which
//! loads the real link module (`split-full-<hash>.js`) with a dynamic `import()` the first time
//! any split point is reached.
//!
//! Names: the link module and the bound JS import each other, so both are named after the
//! build id (a hash of the linked wasm and of this pipeline's versions, known before either is
//! written); every chunk is named after its own content, and the link module is rewritten to
//! point at those names. The browser can therefore cache everything forever.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::dist::content_hash;

/// What the names depend on besides the linked wasm: change it when the pipeline changes.
const PIPELINE: &str = "wasm-bindgen 0.2.130; wasm_split_cli_support 0.2.4; layout 1";

/// The split of one build.
#[derive(Debug)]
pub struct Split {
    /// The build id (16 hex digits).
    pub id: String,
    /// The main module, to be bound by wasm-bindgen.
    pub main_wasm: PathBuf,
    /// The link stub's final file name (`split-<id>.js`), which the bound JS imports.
    pub link_name: String,
    /// The link stub's text: it forwards each split point to the full link module.
    pub link_js: String,
    /// The full link module's final file name (`split-full-<hash>.js`).
    pub full_link_name: String,
    /// The full link module's text, rewritten to the chunks' final names.
    pub full_link_js: String,
    /// The chunks: final file name → bytes.
    pub chunks: BTreeMap<String, Vec<u8>>,
    /// For each split point, the final names of the chunks it loads.
    pub prefetch: BTreeMap<String, Vec<String>>,
}

impl Split {
    /// The bound JS module's final file name (`app-<id>.js`), which the link module imports.
    pub fn js_name(&self) -> String {
        js_name(&self.id)
    }
}

fn js_name(id: &str) -> String {
    format!("app-{id}.js")
}

/// The build id of a linked wasm.
pub fn build_id(wasm: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(wasm.len() + PIPELINE.len());
    bytes.extend_from_slice(wasm);
    bytes.extend_from_slice(PIPELINE.as_bytes());
    content_hash(&bytes)
}

/// Splits `wasm_file` into `work` (emptied first).
pub fn split(wasm_file: &Path, work: &Path) -> Result<Split> {
    let input =
        std::fs::read(wasm_file).with_context(|| format!("reading {}", wasm_file.display()))?;
    let id = build_id(&input);
    if work.exists() {
        std::fs::remove_dir_all(work)?;
    }
    std::fs::create_dir_all(work)?;
    let link_name = format!("split-{id}.js");
    let main_wasm = work.join("main.wasm");
    let main_module = format!("./{}", js_name(&id));
    let link_import = format!("./{link_name}");
    let out = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = work;
        opts.main_out_path = &main_wasm;
        opts.main_module = &main_module;
        opts.link_name = &link_import;
        opts
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))
    .context("splitting the wasm at its lazy routes (wasm_split_cli_support)")?;

    let mut link_js = drop_comment_lines(
        &std::fs::read_to_string(work.join(&link_name))
            .with_context(|| format!("reading the link module {link_name}"))?,
    );
    let mut renamed = BTreeMap::new();
    let mut chunks = BTreeMap::new();
    for path in &out.split_modules {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .with_context(|| format!("chunk without a name: {}", path.display()))?
            .to_string();
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let bytes = strip_custom_sections(&bytes)
            .with_context(|| format!("{} is not a wasm module", path.display()))?;
        // Eight hex digits: the chunk's stem already makes its name unique, the hash only has to
        // change with the content, and every digit is repeated once per chunk in the link
        // module, which the first load carries.
        let name = format!("{stem}-{}.wasm", &content_hash(&bytes)[..8]);
        link_js = rewrite_chunk_url(&link_js, &stem, &name)?;
        renamed.insert(stem, name.clone());
        chunks.insert(name, bytes);
    }
    let prefetch = out
        .prefetch_map
        .into_iter()
        .map(|(split, stems)| {
            let names = stems.iter().map(|s| renamed.get(s).cloned().unwrap_or_default());
            (split, names.collect())
        })
        .collect();
    let full_link_name = format!("split-full-{}.js", &content_hash(link_js.as_bytes())[..16]);
    let stub = link_stub(&link_js, &js_name(&id), &full_link_name)?;
    Ok(Split {
        id,
        main_wasm,
        link_name,
        link_js: stub,
        full_link_name,
        full_link_js: link_js,
        chunks,
        prefetch,
    })
}

/// The link stub for the full link module `full` (named `full_name`), importing the bound JS
/// `main_js`: each `__wasm_split_load_…` export of `full` becomes a function that loads `full`
/// on first use and calls its namesake. When the load fails, the split point's callback is told
/// so (as the full module does when a chunk fails), and the next call tries again.
fn link_stub(full: &str, main_js: &str, full_name: &str) -> Result<String> {
    const PREFIX: &str = "export const ";
    let mut names = Vec::new();
    for line in full.lines().filter(|line| line.starts_with("export")) {
        let name = line
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(" = "))
            .map(|(name, _)| name)
            .filter(|name| name.starts_with("__wasm_split_load_"));
        match name {
            Some(name) => names.push(name),
            None => bail!("the link module exports something other than split loaders: {line}"),
        }
    }
    if names.is_empty() {
        bail!("the link module exports no split loader");
    }
    let mut js = format!(
        "import {{ initSync }} from \"./{main_js}\";\n\
         let full;\n\
         function load(name, index, data) {{\n\
         \x20   full ??= import(\"./{full_name}\");\n\
         \x20   full.then((m) => m[name](index, data), (e) => {{\n\
         \x20       console.error(e);\n\
         \x20       full = undefined;\n\
         \x20       initSync(undefined, undefined).__indirect_function_table.get(index)(data, false);\n\
         \x20   }});\n\
         }}\n"
    );
    for name in names {
        js.push_str(&format!("{PREFIX}{name} = (i, d) => load(\"{name}\", i, d);\n"));
    }
    Ok(js)
}

/// The link module without the splitter's whole-line `/* … */` notes (each lists the split
/// points sharing a chunk: a third of the file, of no use to the browser).
fn drop_comment_lines(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    for line in js.lines() {
        let note = line.starts_with("/* ") && line.ends_with(" */") && !line[3..].contains("*/ ");
        if !note {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A wasm module without its custom sections: the splitter copies the function names and the
/// producers into every chunk (most of their bytes), and the browser needs none of them.
/// (wasm-bindgen does the same for the main module.)
fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>> {
    const HEADER: [u8; 8] = *b"\0asm\x01\0\0\0";
    if wasm.get(..8) != Some(&HEADER[..]) {
        bail!("no wasm 1.0 header");
    }
    let mut out = HEADER.to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (len, body) = read_leb_u32(wasm, at + 1)?;
        let end = body.checked_add(len as usize).filter(|&end| end <= wasm.len());
        let end = end.with_context(|| format!("section {id} at {at} runs past the end"))?;
        if id != 0 {
            out.extend_from_slice(&wasm[at..end]);
        }
        at = end;
    }
    Ok(out)
}

/// An unsigned LEB128 `u32` at `at`; returns it and the offset after it.
fn read_leb_u32(bytes: &[u8], mut at: usize) -> Result<(u32, usize)> {
    let mut value: u64 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).context("a LEB128 number runs past the end")?;
        at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return u32::try_from(value).map(|v| (v, at)).context("a LEB128 number over u32");
        }
    }
    bail!("a LEB128 number longer than 5 bytes")
}

/// Points the link module's fetch of `./<stem>.wasm` at `./<name>`; fails when it is not there
/// exactly once (the splitter's output format changed).
fn rewrite_chunk_url(js: &str, stem: &str, name: &str) -> Result<String> {
    let from = format!("\"./{stem}.wasm\"");
    match js.matches(&from).count() {
        1 => Ok(js.replacen(&from, &format!("\"./{name}\""), 1)),
        n => bail!("the link module names {from} {n} times; expected once"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_each_chunk_url_once() {
        let js = "const __chunk_0 = makeLoad(() => { fetch(new URL(\"./chunk_0.wasm\", import.meta.url)) });\n\
                  export const __wasm_split_load_a = x(() => fetch(new URL(\"./split_a.wasm\", u)));";
        let js = rewrite_chunk_url(js, "chunk_0", "chunk_0-00ff.wasm").unwrap();
        assert!(js.contains("\"./chunk_0-00ff.wasm\""));
        assert!(js.contains("\"./split_a.wasm\""));
        assert!(rewrite_chunk_url(&js, "chunk_0", "again.wasm").is_err());
    }

    #[test]
    fn the_stub_forwards_every_split_loader() {
        let full = "import { initSync } from \"./app-1.js\";\n\
                    const __chunk_0 = makeLoad(() => 0, []);\n\
                    export const __wasm_split_load_a_1 = wrapAsyncCb(makeLoad(() => 1, []));\n\
                    export const __wasm_split_load_b_2 = wrapAsyncCb(makeLoad(() => 2, []));\n";
        let stub = link_stub(full, "app-1.js", "split-full-f.js").unwrap();
        assert!(stub.starts_with("import { initSync } from \"./app-1.js\";\n"));
        assert!(stub.contains("import(\"./split-full-f.js\")"));
        assert!(stub.contains(
            "export const __wasm_split_load_a_1 = (i, d) => load(\"__wasm_split_load_a_1\", i, d);\n"
        ));
        assert!(stub.contains("export const __wasm_split_load_b_2 = "));
        assert!(!stub.contains("__chunk_0"));
        assert!(link_stub("export function other() {}\n", "a.js", "f.js").is_err());
        assert!(link_stub("const x = 1;\n", "a.js", "f.js").is_err());
    }

    #[test]
    fn drops_only_whole_line_notes() {
        let js =
            "/* a, b */\nconst x = 1; /* kept */\n  /* indented: kept */\nexport const y = x;\n";
        assert_eq!(
            drop_comment_lines(js),
            "const x = 1; /* kept */\n  /* indented: kept */\nexport const y = x;\n"
        );
    }

    #[test]
    fn strips_custom_sections_only() {
        let header = b"\0asm\x01\0\0\0".to_vec();
        let ty = [1u8, 4, 1, 0x60, 0, 0]; // a type section: one `() -> ()`
        let name = [0u8, 5, 4, b'n', b'a', b'm', b'e']; // a custom section called "name"
        let big = {
            // A custom section whose size takes two LEB128 bytes (200 = 0xc8 0x01).
            let mut s = vec![0u8, 0xc8, 0x01, 3, b'b', b'i', b'g'];
            s.extend(std::iter::repeat_n(7u8, 196));
            s
        };
        let module = [header.clone(), name.to_vec(), ty.to_vec(), big].concat();
        assert_eq!(strip_custom_sections(&module).unwrap(), [header.clone(), ty.to_vec()].concat());
        assert_eq!(strip_custom_sections(&header).unwrap(), header);
        assert!(strip_custom_sections(b"\0asm\x02\0\0\0").is_err());
        assert!(strip_custom_sections(&[header, vec![1, 9, 1]].concat()).is_err(), "truncated");
    }

    #[test]
    fn build_id_depends_on_the_wasm() {
        assert_ne!(build_id(b"\0asm1"), build_id(b"\0asm2"));
        assert_eq!(build_id(b"\0asm1"), build_id(b"\0asm1"));
        assert_eq!(build_id(b"").len(), 16);
    }
}
