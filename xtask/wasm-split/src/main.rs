//! `wasm-split`: splits the web build's WebAssembly module in two, so that the page downloads only
//! the code its first screen runs and fetches the rest once it is showing.
//!
//! The playground's module holds the whole simulator, every Kubernetes type's decoder and encoder,
//! and the UI. Opening a scenario runs a fraction of that code; the rest (other probe kinds, web
//! servers, `kubectl -o yaml`, scaling, error paths...) is needed only later, if at all.
//!
//! ```text
//! wasm-split instrument IN OUT
//! wasm-split split IN PROFILE PRIMARY SECONDARY
//! ```
//!
//! `instrument` writes a copy of IN that records which functions ran: every function body starts by
//! storing 1 at its own index in an extra memory exported as `__profile`. The site is loaded with that
//! copy in a browser (see `scripts/lib/split-site.mjs`) and the indices that ran are written to
//! PROFILE, one per line.
//!
//! `split` keeps those functions, and everything they need to stay valid, in PRIMARY, and moves
//! every other function body to SECONDARY:
//!
//! - A moved function that primary code still refers to (a call, an export, a table entry) keeps
//!   its place in PRIMARY as a stub: it calls, through one slot of a new table exported as
//!   `slots`, the real body. Until SECONDARY is loaded, each slot holds a placeholder imported
//!   from the module `s` under the slot's number; the page's loader (`static/js/split-loader.js`)
//!   answers a placeholder call by loading SECONDARY at once and calling the slot again.
//! - SECONDARY imports from `p` everything of PRIMARY that its bodies use: the memory (`m<i>`), every
//!   table (`t<i>`) and global (`g<i>`), in PRIMARY's order so that their indices need no
//!   translation, and each function it calls that stayed behind (`f<i>`, by its index in IN).
//!   PRIMARY exports all of these under those names. When SECONDARY is instantiated, its element
//!   segment writes the real bodies into the slots, so that from then on a stub costs one
//!   indirect call and no JavaScript.
//!
//! Both outputs are validated before they are written. Bodies that touch data or element segments
//! (`memory.init`, `data.drop`, `table.init`, `elem.drop`) or take a function reference
//! (`ref.func`) always stay in PRIMARY: those segments and declarations live there.
//!
//! Binaryen has a `wasm-split` of its own, but neither of the copies this project can install has a
//! usable one: the npm `binaryen` package (whose `wasm-opt` the web build uses) ships no
//! `wasm-split`, and Debian's binaryen is too old for the module's features. This tool is a
//! workspace member of its own, so that `wasmparser` and `wasm-encoder` are not dependencies of the
//! product crate.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use wasm_encoder::reencode::{Error as ReencodeError, Reencode, RoundtripReencoder};
use wasm_encoder::{self as enc, ConstExpr, Elements, EntityType, ExportKind, Instruction};
use wasmparser::{ExternalKind, Operator, Parser, Payload, TypeRef, WasmFeatures};

type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["instrument", input, output] => read(input).and_then(|bytes| {
            let module = Module::parse(&bytes)?;
            let out = module.instrument()?;
            write(output, &out)?;
            println!("{output}: {} functions instrumented", module.bodies.len());
            Ok(())
        }),
        ["split", input, profile, primary, secondary] => read(input).and_then(|bytes| {
            let module = Module::parse(&bytes)?;
            let ran = read_profile(profile)?;
            let (first, rest) = module.split(&ran)?;
            write(primary, &first)?;
            write(secondary, &rest)?;
            println!(
                "{input} ({} bytes, {} functions) -> {primary} ({} bytes) + {secondary} ({} bytes); {} functions ran",
                bytes.len(),
                module.bodies.len(),
                first.len(),
                rest.len(),
                ran.len()
            );
            Ok(())
        }),
        _ => Err("usage: wasm-split instrument IN OUT | wasm-split split IN PROFILE PRIMARY SECONDARY".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wasm-split: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn write(path: &str, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{path}: {e}"))
}

/// The profile: the indices (among the module's own functions, imports not counted) of the
/// functions that ran, one per line.
fn read_profile(path: &str) -> Result<BTreeSet<u32>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| line.parse().map_err(|_| format!("{path}: not a function index: {line:?}")))
        .collect()
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Every item of a section, or its first error.
fn all<T, E: std::fmt::Display>(
    items: impl IntoIterator<Item = std::result::Result<T, E>>,
) -> Result<Vec<T>> {
    items.into_iter().map(|item| item.map_err(err)).collect()
}

/// The parts of a module this tool reads or rewrites. Sections it does not list are refused rather
/// than dropped, so that a build with a new kind of section fails loudly here.
struct Module<'a> {
    types: Vec<wasmparser::FuncType>,
    type_section: Option<wasmparser::TypeSectionReader<'a>>,
    imports: Vec<wasmparser::Import<'a>>,
    /// The type of each of the module's own functions.
    local_types: Vec<u32>,
    tables: Vec<wasmparser::Table<'a>>,
    memories: Vec<wasmparser::MemoryType>,
    globals: Vec<wasmparser::Global<'a>>,
    exports: Vec<wasmparser::Export<'a>>,
    start: Option<u32>,
    elements: Vec<wasmparser::Element<'a>>,
    data_count: Option<u32>,
    bodies: Vec<wasmparser::FunctionBody<'a>>,
    data: Option<wasmparser::DataSectionReader<'a>>,
}

impl<'a> Module<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self> {
        validate(bytes).map_err(|e| format!("the input is not a valid module: {e}"))?;
        let mut m = Module {
            types: Vec::new(),
            type_section: None,
            imports: Vec::new(),
            local_types: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            exports: Vec::new(),
            start: None,
            elements: Vec::new(),
            data_count: None,
            bodies: Vec::new(),
            data: None,
        };
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.map_err(err)? {
                Payload::Version { .. } | Payload::End(_) | Payload::CodeSectionStart { .. } => {}
                Payload::CustomSection(_) => {}
                Payload::TypeSection(reader) => {
                    m.type_section = Some(reader.clone());
                    m.types = all(reader.into_iter_err_on_gc_types())?;
                }
                Payload::ImportSection(reader) => m.imports = all(reader.into_imports())?,
                Payload::FunctionSection(reader) => m.local_types = all(reader)?,
                Payload::TableSection(reader) => m.tables = all(reader)?,
                Payload::MemorySection(reader) => m.memories = all(reader)?,
                Payload::GlobalSection(reader) => m.globals = all(reader)?,
                Payload::ExportSection(reader) => m.exports = all(reader)?,
                Payload::StartSection { func, .. } => m.start = Some(func),
                Payload::ElementSection(reader) => m.elements = all(reader)?,
                Payload::DataCountSection { count, .. } => m.data_count = Some(count),
                Payload::CodeSectionEntry(body) => m.bodies.push(body),
                Payload::DataSection(reader) => m.data = Some(reader),
                other => {
                    return Err(format!(
                        "unsupported section at byte {:?}",
                        other.as_section().map(|(id, range)| (id, range.start))
                    ))
                }
            }
        }
        if m.imports.iter().any(|i| matches!(i.ty, TypeRef::Memory(_))) {
            return Err("an imported memory is not supported".into());
        }
        Ok(m)
    }

    fn imported(&self, kind: fn(&TypeRef) -> bool) -> u32 {
        self.imports.iter().filter(|i| kind(&i.ty)).count() as u32
    }

    fn func_imports(&self) -> u32 {
        self.imported(|t| matches!(t, TypeRef::Func(_)))
    }

    /// The type of function `index` (imports first, as in the function index space).
    fn func_type(&self, index: u32) -> u32 {
        let imported = self.func_imports();
        if index < imported {
            self.imports
                .iter()
                .filter_map(|i| match i.ty {
                    TypeRef::Func(ty) => Some(ty),
                    _ => None,
                })
                .nth(index as usize)
                .expect("an imported function")
        } else {
            self.local_types[(index - imported) as usize]
        }
    }

    /// Every table's type, imported ones first.
    fn table_types(&self) -> Vec<wasmparser::TableType> {
        let imported = self.imports.iter().filter_map(|i| match i.ty {
            TypeRef::Table(t) => Some(t),
            _ => None,
        });
        imported.chain(self.tables.iter().map(|t| t.ty)).collect()
    }

    /// Every global's type, imported ones first.
    fn global_types(&self) -> Vec<wasmparser::GlobalType> {
        let imported = self.imports.iter().filter_map(|i| match i.ty {
            TypeRef::Global(g) => Some(g),
            _ => None,
        });
        imported.chain(self.globals.iter().map(|g| g.ty)).collect()
    }

    fn write_types(&self, out: &mut enc::Module) -> Result<()> {
        if let Some(reader) = &self.type_section {
            let mut types = enc::TypeSection::new();
            RoundtripReencoder.parse_type_section(&mut types, reader.clone()).map_err(err)?;
            out.section(&types);
        }
        Ok(())
    }

    fn instrument(&self) -> Result<Vec<u8>> {
        let re = &mut Renumber { index: (0..self.func_imports() + self.bodies.len() as u32).collect() };
        let mut out = enc::Module::new();
        self.write_types(&mut out)?;
        let mut imports = enc::ImportSection::new();
        for import in &self.imports {
            imports.import(import.module, import.name, re.entity_type(import.ty).map_err(err)?);
        }
        out.section(&imports);
        let mut functions = enc::FunctionSection::new();
        for &ty in &self.local_types {
            functions.function(ty);
        }
        out.section(&functions);
        self.write_tables(&mut out, re, None)?;
        let profile_memory = self.memories.len() as u32;
        let mut memories = enc::MemorySection::new();
        for &memory in &self.memories {
            memories.memory(re.memory_type(memory).map_err(err)?);
        }
        let pages = (self.bodies.len() as u64).div_ceil(65536).max(1);
        memories.memory(enc::MemoryType {
            minimum: pages,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        out.section(&memories);
        self.write_globals(&mut out, re)?;
        let mut exports = self.exports(re)?;
        exports.export("__profile", ExportKind::Memory, profile_memory);
        out.section(&exports);
        self.write_start_and_elements(&mut out, re, None)?;
        self.write_data_count(&mut out);
        let mut code = enc::CodeSection::new();
        for (index, body) in self.bodies.iter().enumerate() {
            let mut f = re.new_function_with_parsed_locals(body).map_err(err)?;
            f.instruction(&Instruction::I32Const(index as i32));
            f.instruction(&Instruction::I32Const(1));
            f.instruction(&Instruction::I32Store8(enc::MemArg {
                offset: 0,
                align: 0,
                memory_index: profile_memory,
            }));
            copy_body(re, &mut f, body)?;
            code.function(&f);
        }
        out.section(&code);
        self.write_data(&mut out, re)?;
        finish(out)
    }

    fn write_tables(
        &self,
        out: &mut enc::Module,
        re: &mut impl Reencode<Error = String>,
        slots: Option<u32>,
    ) -> Result<()> {
        let mut tables = enc::TableSection::new();
        for table in &self.tables {
            re.parse_table(&mut tables, table.clone()).map_err(err)?;
        }
        if let Some(slots) = slots {
            tables.table(slot_table_type(slots));
        }
        if !tables.is_empty() {
            out.section(&tables);
        }
        Ok(())
    }

    fn write_globals(&self, out: &mut enc::Module, re: &mut impl Reencode<Error = String>) -> Result<()> {
        if !self.globals.is_empty() {
            let mut globals = enc::GlobalSection::new();
            for global in &self.globals {
                re.parse_global(&mut globals, global.clone()).map_err(err)?;
            }
            out.section(&globals);
        }
        Ok(())
    }

    fn exports(&self, re: &mut impl Reencode<Error = String>) -> Result<enc::ExportSection> {
        let mut exports = enc::ExportSection::new();
        for export in &self.exports {
            re.parse_export(&mut exports, *export).map_err(err)?;
        }
        Ok(exports)
    }

    /// The start function and the element segments, plus (when splitting) the segment that fills
    /// the slot table with the placeholders.
    fn write_start_and_elements(
        &self,
        out: &mut enc::Module,
        re: &mut impl Reencode<Error = String>,
        placeholders: Option<(u32, Vec<u32>)>,
    ) -> Result<()> {
        if let Some(start) = self.start {
            out.section(&enc::StartSection { function_index: re.function_index(start).map_err(err)? });
        }
        let mut elements = enc::ElementSection::new();
        for element in &self.elements {
            re.parse_element(&mut elements, element.clone()).map_err(err)?;
        }
        if let Some((table, functions)) = placeholders {
            elements.active(Some(table), &ConstExpr::i32_const(0), Elements::Functions(functions.into()));
        }
        if !elements.is_empty() {
            out.section(&elements);
        }
        Ok(())
    }

    fn write_data_count(&self, out: &mut enc::Module) {
        if let Some(count) = self.data_count {
            out.section(&enc::DataCountSection { count });
        }
    }

    fn write_data(&self, out: &mut enc::Module, re: &mut impl Reencode<Error = String>) -> Result<()> {
        if let Some(reader) = &self.data {
            let mut data = enc::DataSection::new();
            re.parse_data_section(&mut data, reader.clone()).map_err(err)?;
            out.section(&data);
        }
        Ok(())
    }

    fn split(&self, ran: &BTreeSet<u32>) -> Result<(Vec<u8>, Vec<u8>)> {
        let imported = self.func_imports();
        let locals = self.bodies.len() as u32;
        if let Some(&bad) = ran.iter().find(|&&i| i >= locals) {
            return Err(format!("the profile names function {bad}, but the module has {locals}: was it made from another build?"));
        }

        // What each body refers to, and which bodies must stay where the segments are.
        let mut callees: Vec<Vec<u32>> = Vec::with_capacity(self.bodies.len());
        let mut keep: Vec<bool> = Vec::with_capacity(self.bodies.len());
        for (index, body) in self.bodies.iter().enumerate() {
            let mut refs = Vec::new();
            let mut pinned = false;
            let mut reader = body.get_operators_reader().map_err(err)?;
            while !reader.eof() {
                match reader.read().map_err(err)? {
                    Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                        refs.push(function_index)
                    }
                    Operator::RefFunc { .. }
                    | Operator::MemoryInit { .. }
                    | Operator::DataDrop { .. }
                    | Operator::TableInit { .. }
                    | Operator::ElemDrop { .. } => pinned = true,
                    _ => {}
                }
            }
            refs.sort_unstable();
            refs.dedup();
            callees.push(refs);
            keep.push(pinned || ran.contains(&(index as u32)));
        }
        if let Some(start) = self.start.filter(|&s| s >= imported) {
            keep[(start - imported) as usize] = true;
        }
        let local = |f: u32| f.checked_sub(imported).map(|i| i as usize);
        let moved = |f: u32| local(f).is_some_and(|i| !keep[i]);

        // Moved functions that the primary module still reaches get a stub and a slot.
        let mut reached: BTreeSet<u32> = BTreeSet::new();
        for export in &self.exports {
            if export.kind == ExternalKind::Func && moved(export.index) {
                reached.insert(export.index);
            }
        }
        for element in &self.elements {
            for f in element_functions(element)? {
                if moved(f) {
                    reached.insert(f);
                }
            }
        }
        for global in &self.globals {
            for f in const_expr_functions(&global.init_expr)? {
                if moved(f) {
                    reached.insert(f);
                }
            }
        }
        for (index, refs) in callees.iter().enumerate() {
            if keep[index] {
                reached.extend(refs.iter().copied().filter(|&f| moved(f)));
            }
        }
        let slots: Vec<u32> = reached.into_iter().collect();
        let slot_of: BTreeMap<u32, u32> = slots.iter().enumerate().map(|(k, &f)| (f, k as u32)).collect();
        let slot_count = slots.len() as u32;
        let slot_table = self.table_types().len() as u32;

        // The primary module's function index space: the imports, then one placeholder per
        // slot, then the bodies that stay and the stubs, in their original order.
        let mut primary_index = vec![u32::MAX; (imported + locals) as usize];
        for f in 0..imported {
            primary_index[f as usize] = f;
        }
        let mut next = imported + slot_count;
        for i in 0..locals {
            if keep[i as usize] || slot_of.contains_key(&(imported + i)) {
                primary_index[(imported + i) as usize] = next;
                next += 1;
            }
        }

        // What the moved bodies need from the primary module.
        let mut needed: BTreeSet<u32> = BTreeSet::new();
        for (index, refs) in callees.iter().enumerate() {
            if !keep[index] {
                needed.extend(refs.iter().copied().filter(|&f| !moved(f)));
            }
        }
        let mut secondary_index = vec![u32::MAX; (imported + locals) as usize];
        for (k, &f) in needed.iter().enumerate() {
            secondary_index[f as usize] = k as u32;
        }
        let mut next = needed.len() as u32;
        for i in 0..locals {
            if !keep[i as usize] {
                secondary_index[(imported + i) as usize] = next;
                next += 1;
            }
        }

        let primary = self.write_primary(&keep, &slots, &slot_of, slot_table, &needed, primary_index)?;
        let secondary = self.write_secondary(&keep, &slots, slot_table, &needed, secondary_index)?;
        Ok((primary, secondary))
    }

    #[allow(clippy::too_many_arguments)]
    fn write_primary(
        &self,
        keep: &[bool],
        slots: &[u32],
        slot_of: &BTreeMap<u32, u32>,
        slot_table: u32,
        needed: &BTreeSet<u32>,
        index: Vec<u32>,
    ) -> Result<Vec<u8>> {
        let imported = self.func_imports();
        let re = &mut Renumber { index };
        let mut out = enc::Module::new();
        self.write_types(&mut out)?;
        let mut imports = enc::ImportSection::new();
        for import in &self.imports {
            imports.import(import.module, import.name, re.entity_type(import.ty).map_err(err)?);
        }
        for (k, &f) in slots.iter().enumerate() {
            imports.import("s", &k.to_string(), EntityType::Function(self.func_type(f)));
        }
        out.section(&imports);
        let mut functions = enc::FunctionSection::new();
        for (i, &ty) in self.local_types.iter().enumerate() {
            if keep[i] || slot_of.contains_key(&(imported + i as u32)) {
                functions.function(ty);
            }
        }
        out.section(&functions);
        self.write_tables(&mut out, re, Some(slots.len() as u32))?;
        let mut memories = enc::MemorySection::new();
        for &memory in &self.memories {
            memories.memory(re.memory_type(memory).map_err(err)?);
        }
        out.section(&memories);
        self.write_globals(&mut out, re)?;

        let mut exports = self.exports(re)?;
        for m in 0..self.memories.len() as u32 {
            exports.export(&format!("m{m}"), ExportKind::Memory, m);
        }
        for t in 0..=slot_table {
            exports.export(&format!("t{t}"), ExportKind::Table, t);
        }
        exports.export("slots", ExportKind::Table, slot_table);
        for g in 0..self.global_types().len() as u32 {
            exports.export(&format!("g{g}"), ExportKind::Global, g);
        }
        for &f in needed {
            exports.export(&format!("f{f}"), ExportKind::Func, re.function_index(f).map_err(err)?);
        }
        out.section(&exports);
        let placeholders = (imported..imported + slots.len() as u32).collect();
        self.write_start_and_elements(&mut out, re, Some((slot_table, placeholders)))?;
        self.write_data_count(&mut out);

        let mut code = enc::CodeSection::new();
        for (i, body) in self.bodies.iter().enumerate() {
            let f = imported + i as u32;
            if keep[i] {
                let mut function = re.new_function_with_parsed_locals(body).map_err(err)?;
                copy_body(re, &mut function, body)?;
                code.function(&function);
            } else if let Some(&slot) = slot_of.get(&f) {
                // The stub: pass the arguments on to whatever the slot holds.
                let ty = self.func_type(f);
                let mut stub = enc::Function::new([]);
                for param in 0..self.types[ty as usize].params().len() as u32 {
                    stub.instruction(&Instruction::LocalGet(param));
                }
                stub.instruction(&Instruction::I32Const(slot as i32));
                stub.instruction(&Instruction::CallIndirect { type_index: ty, table_index: slot_table });
                stub.instruction(&Instruction::End);
                code.function(&stub);
            }
        }
        out.section(&code);
        self.write_data(&mut out, re)?;
        finish(out)
    }

    fn write_secondary(
        &self,
        keep: &[bool],
        slots: &[u32],
        slot_table: u32,
        needed: &BTreeSet<u32>,
        index: Vec<u32>,
    ) -> Result<Vec<u8>> {
        let re = &mut Renumber { index };
        let mut out = enc::Module::new();
        self.write_types(&mut out)?;
        let mut imports = enc::ImportSection::new();
        for &f in needed {
            imports.import("p", &format!("f{f}"), EntityType::Function(self.func_type(f)));
        }
        for (m, &memory) in self.memories.iter().enumerate() {
            imports.import("p", &format!("m{m}"), EntityType::Memory(re.memory_type(memory).map_err(err)?));
        }
        let mut tables: Vec<enc::TableType> = Vec::new();
        for table in self.table_types() {
            tables.push(re.table_type(table).map_err(err)?);
        }
        tables.push(slot_table_type(slots.len() as u32));
        for (t, table) in tables.into_iter().enumerate() {
            imports.import("p", &format!("t{t}"), EntityType::Table(table));
        }
        for (g, global) in self.global_types().into_iter().enumerate() {
            imports.import("p", &format!("g{g}"), EntityType::Global(re.global_type(global).map_err(err)?));
        }
        out.section(&imports);
        let mut functions = enc::FunctionSection::new();
        for (i, &ty) in self.local_types.iter().enumerate() {
            if !keep[i] {
                functions.function(ty);
            }
        }
        out.section(&functions);
        let mut elements = enc::ElementSection::new();
        let bodies: Vec<u32> = slots
            .iter()
            .map(|&f| re.function_index(f))
            .collect::<std::result::Result<_, _>>()
            .map_err(err)?;
        elements.active(Some(slot_table), &ConstExpr::i32_const(0), Elements::Functions(bodies.into()));
        out.section(&elements);
        let mut code = enc::CodeSection::new();
        for (i, body) in self.bodies.iter().enumerate() {
            if !keep[i] {
                let mut function = re.new_function_with_parsed_locals(body).map_err(err)?;
                copy_body(re, &mut function, body)?;
                code.function(&function);
            }
        }
        out.section(&code);
        finish(out)
    }
}

/// The table of slots through which stubs reach the moved bodies.
fn slot_table_type(slots: u32) -> enc::TableType {
    enc::TableType {
        element_type: enc::RefType::FUNCREF,
        table64: false,
        minimum: slots.into(),
        maximum: Some(slots.into()),
        shared: false,
    }
}

fn copy_body(
    re: &mut impl Reencode<Error = String>,
    out: &mut enc::Function,
    body: &wasmparser::FunctionBody,
) -> Result<()> {
    let mut reader = body.get_operators_reader().map_err(err)?;
    while !reader.eof() {
        out.instruction(&re.parse_instruction(&mut reader).map_err(err)?);
    }
    Ok(())
}

fn element_functions(element: &wasmparser::Element) -> Result<Vec<u32>> {
    let mut out = Vec::new();
    match &element.items {
        wasmparser::ElementItems::Functions(reader) => {
            for f in reader.clone() {
                out.push(f.map_err(err)?);
            }
        }
        wasmparser::ElementItems::Expressions(_, reader) => {
            for expr in reader.clone() {
                out.extend(const_expr_functions(&expr.map_err(err)?)?);
            }
        }
    }
    Ok(out)
}

fn const_expr_functions(expr: &wasmparser::ConstExpr) -> Result<Vec<u32>> {
    let mut out = Vec::new();
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        if let Operator::RefFunc { function_index } = reader.read().map_err(err)? {
            out.push(function_index);
        }
    }
    Ok(out)
}

fn validate(bytes: &[u8]) -> Result<()> {
    wasmparser::Validator::new_with_features(WasmFeatures::all()).validate_all(bytes).map(|_| ()).map_err(err)
}

fn finish(out: enc::Module) -> Result<Vec<u8>> {
    let bytes = out.finish();
    validate(&bytes).map_err(|e| format!("an output module is invalid: {e}"))?;
    Ok(bytes)
}

/// Re-encodes with a new function index space; every other index space is unchanged.
struct Renumber {
    index: Vec<u32>,
}

impl Reencode for Renumber {
    type Error = String;

    fn function_index(&mut self, func: u32) -> std::result::Result<u32, ReencodeError<String>> {
        match self.index.get(func as usize) {
            Some(&new) if new != u32::MAX => Ok(new),
            _ => Err(ReencodeError::UserError(format!("function {func} has no place in this module"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module shaped like the web build's: an imported function, a memory and a stack-pointer
    /// global, a function table, an exported entry point and a passive data segment.
    ///
    /// Functions (0 is the import `env.log`): 1 `main` calls 2 and `log`; 2 calls 3 and reads the
    /// global; 3 calls `log` and is in the table; 4 drops the data segment.
    fn sample() -> Vec<u8> {
        let mut m = enc::Module::new();
        let mut types = enc::TypeSection::new();
        types.ty().function([enc::ValType::I32], [enc::ValType::I32]);
        types.ty().function([], []);
        m.section(&types);
        let mut imports = enc::ImportSection::new();
        imports.import("env", "log", EntityType::Function(1));
        m.section(&imports);
        let mut functions = enc::FunctionSection::new();
        for ty in [1, 0, 0, 1] {
            functions.function(ty);
        }
        m.section(&functions);
        let mut tables = enc::TableSection::new();
        tables.table(enc::TableType {
            element_type: enc::RefType::FUNCREF,
            table64: false,
            minimum: 2,
            maximum: Some(2),
            shared: false,
        });
        m.section(&tables);
        let mut memories = enc::MemorySection::new();
        memories.memory(enc::MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        m.section(&memories);
        let mut globals = enc::GlobalSection::new();
        globals.global(
            enc::GlobalType { val_type: enc::ValType::I32, mutable: true, shared: false },
            &ConstExpr::i32_const(1024),
        );
        m.section(&globals);
        let mut exports = enc::ExportSection::new();
        exports.export("main", ExportKind::Func, 1);
        exports.export("memory", ExportKind::Memory, 0);
        m.section(&exports);
        let mut elements = enc::ElementSection::new();
        elements.active(None, &ConstExpr::i32_const(1), Elements::Functions(vec![3].into()));
        m.section(&elements);
        m.section(&enc::DataCountSection { count: 1 });
        let mut code = enc::CodeSection::new();
        let body = |instructions: &[Instruction]| {
            let mut f = enc::Function::new([]);
            for i in instructions {
                f.instruction(i);
            }
            f.instruction(&Instruction::End);
            f
        };
        use Instruction::*;
        code.function(&body(&[I32Const(1), Call(2), Drop, Call(0)]));
        code.function(&body(&[LocalGet(0), Call(3), GlobalGet(0), I32Add]));
        code.function(&body(&[Call(0), LocalGet(0), I32Const(2), I32Mul]));
        code.function(&body(&[DataDrop(0)]));
        m.section(&code);
        let mut data = enc::DataSection::new();
        data.passive(*b"probe");
        m.section(&data);
        m.finish()
    }

    fn imports(bytes: &[u8]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            if let Payload::ImportSection(reader) = payload.unwrap() {
                for import in reader.into_imports() {
                    let import = import.unwrap();
                    out.push((import.module.to_string(), import.name.to_string()));
                }
            }
        }
        out
    }

    fn exports(bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            if let Payload::ExportSection(reader) = payload.unwrap() {
                out.extend(reader.into_iter().map(|e| e.unwrap().name.to_string()));
            }
        }
        out
    }

    /// The local functions' bodies, as the text of their instructions.
    fn bodies(bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut reader = body.get_operators_reader().unwrap();
                let mut text = Vec::new();
                while !reader.eof() {
                    text.push(format!("{:?}", reader.read().unwrap()));
                }
                out.push(text.join(" "));
            }
        }
        out
    }

    fn strings(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn what_did_not_run_moves_behind_stubs() {
        let input = sample();
        let module = Module::parse(&input).unwrap();
        let (primary, secondary) = module.split(&BTreeSet::from([0])).unwrap();

        // Function 2 is called by `main`, function 3 sits in the table: both get a slot and a
        // placeholder; 4 stays whole because it drops a data segment.
        assert_eq!(imports(&primary), strings(&[("env", "log"), ("s", "0"), ("s", "1")]));
        let first = bodies(&primary);
        assert_eq!(first.len(), 4, "{first:#?}");
        assert!(
            first[0].starts_with("I32Const { value: 1 } Call { function_index: 4 }"),
            "main calls the stub of 2: {}",
            first[0]
        );
        assert_eq!(first[1], "LocalGet { local_index: 0 } I32Const { value: 0 } CallIndirect { type_index: 0, table_index: 1 } End");
        assert_eq!(first[2], "LocalGet { local_index: 0 } I32Const { value: 1 } CallIndirect { type_index: 0, table_index: 1 } End");
        assert!(first[3].starts_with("DataDrop"), "{}", first[3]);
        assert_eq!(exports(&primary), ["main", "memory", "m0", "t0", "t1", "slots", "g0", "f0"]);

        // The second part imports what its bodies use, by the names the first part exports, and
        // calls its own copy of 3 directly.
        assert_eq!(
            imports(&secondary),
            strings(&[("p", "f0"), ("p", "m0"), ("p", "t0"), ("p", "t1"), ("p", "g0")])
        );
        let rest = bodies(&secondary);
        assert_eq!(rest.len(), 2);
        assert!(rest[0].contains("Call { function_index: 2 } GlobalGet { global_index: 0 }"), "{}", rest[0]);
        assert!(rest[1].starts_with("Call { function_index: 0 }"), "3 calls the imported log: {}", rest[1]);
    }

    #[test]
    fn everything_that_ran_stays_and_nothing_is_left_to_load() {
        let input = sample();
        let module = Module::parse(&input).unwrap();
        let (primary, secondary) = module.split(&BTreeSet::from([0, 1, 2, 3])).unwrap();
        assert_eq!(imports(&primary), strings(&[("env", "log")]));
        assert_eq!(bodies(&primary), bodies(&input));
        assert!(bodies(&secondary).is_empty());
    }

    #[test]
    fn instrumented_bodies_record_their_index() {
        let input = sample();
        let out = Module::parse(&input).unwrap().instrument().unwrap();
        let marked = bodies(&out);
        assert!(marked[2].starts_with("I32Const { value: 2 } I32Const { value: 1 } I32Store8 { memarg: MemArg { align: 0, max_align: 0, offset: 0, memory: 1 } }"), "{}", marked[2]);
        assert!(exports(&out).contains(&"__profile".to_string()));
    }

    #[test]
    fn a_profile_from_another_build_is_refused() {
        let input = sample();
        let e = Module::parse(&input).unwrap().split(&BTreeSet::from([0, 9])).unwrap_err();
        assert!(e.contains("was it made from another build"), "{e}");
    }
}
