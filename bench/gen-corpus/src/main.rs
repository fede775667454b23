//! `gen-corpus`: writes a deterministic synthetic MedFM corpus for the benchmark (`bench/run.sh`).
//! A crate of its own beside the generator: the corpus is MedFM Atlas's content model (its
//! fields, its vocabularies read from its site.yaml) in medfm's and Hugo's formats, which the
//! generator itself knows nothing of.
//!
//! `--pages N` work pages (N/2 works, each in Chinese and English), every one with realistic
//! front matter (terms taken from the real `site.yaml` vocabularies, lineage, institutions,
//! venues, links) and about 600 words of Markdown: headings, a list, a table, internal and
//! external links and one unique 15-line Python block. Plus a home page, trend pages and an
//! about page. The same seed always gives the same bytes.
//!
//! Two trees are written: `<out>/content/` in medfm's format (facts only in the default-language
//! file) and `<out>/hugo-content/` for Hugo (same bodies; translations repeat the facts, since
//! Hugo does not share front matter between languages).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};


/// Deterministic pseudo-random numbers (SplitMix64): no dependency, same stream everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Between 1 and `max` distinct items.
    fn one_to<T: Clone>(&mut self, items: &[T], max: usize) -> Vec<T> {
        let k = 1 + self.below(max);
        self.some(items, k)
    }

    /// `k` distinct items (fewer if the list is shorter), in list order.
    fn some<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in 0..k.min(idx.len()) {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(k).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].clone()).collect()
    }
}

const EN_WORDS: &[&str] = &[
    "model",
    "encoder",
    "images",
    "clinical",
    "segmentation",
    "pretraining",
    "dataset",
    "patients",
    "radiology",
    "pathology",
    "transformer",
    "features",
    "labels",
    "training",
    "validation",
    "benchmark",
    "accuracy",
    "scans",
    "reports",
    "tokens",
    "attention",
    "prompt",
    "adapter",
    "fine-tuning",
    "zero-shot",
    "retrieval",
    "hospital",
    "cohort",
    "annotation",
    "masks",
    "volumes",
    "slides",
    "tiles",
    "contrastive",
    "language",
    "vision",
    "domain",
    "shift",
    "robust",
    "external",
    "internal",
    "cancer",
    "lesion",
    "organ",
    "diagnosis",
    "prognosis",
    "the",
    "a",
    "of",
    "with",
    "and",
    "for",
    "on",
    "across",
    "than",
    "while",
    "each",
    "large",
    "small",
    "new",
    "public",
    "open",
    "weights",
    "code",
    "results",
    "improves",
    "reduces",
    "learns",
    "predicts",
    "compares",
    "reports",
    "scales",
];

const ZH_WORDS: &[&str] = &[
    "模型",
    "编码",
    "影像",
    "临床",
    "分割",
    "预训练",
    "数据",
    "患者",
    "放射",
    "病理",
    "特征",
    "标签",
    "训练",
    "验证",
    "基准",
    "准确",
    "扫描",
    "报告",
    "注意",
    "提示",
    "适配",
    "微调",
    "检索",
    "医院",
    "队列",
    "标注",
    "掩码",
    "切片",
    "对比",
    "语言",
    "视觉",
    "领域",
    "稳健",
    "外部",
    "内部",
    "癌症",
    "病灶",
    "器官",
    "诊断",
    "预后",
    "大规模",
    "公开",
    "权重",
    "代码",
    "结果",
    "提升",
    "降低",
    "学习",
    "预测",
    "比较",
    "扩展",
    "方法",
    "任务",
    "图像",
    "文本",
    "多模态",
];

const VENUES: &[&str] = &[
    "Nature Medicine",
    "Nature Communications",
    "Nature Biomedical Engineering",
    "Nature",
    "Science",
    "The Lancet Digital Health",
    "NEJM AI",
    "Radiology",
    "Radiology: Artificial Intelligence",
    "Medical Image Analysis",
    "IEEE TMI",
    "MICCAI 2024",
    "MICCAI 2023",
    "CVPR 2024",
    "ICCV 2023",
    "NeurIPS 2023",
    "NeurIPS 2024",
    "ICLR 2024",
    "ICML 2024",
    "AAAI 2024",
    "ACL 2024",
    "EMNLP 2023",
    "npj Digital Medicine",
    "Cell",
    "Cancer Cell",
    "JAMA",
    "arXiv",
    "medRxiv",
    "ISBI 2024",
    "MIDL 2024",
    "WACV 2024",
    "ECCV 2024",
    "KDD 2024",
    "Bioinformatics",
    "Briefings in Bioinformatics",
    "eBioMedicine",
];

const PLACES: &[&str] = &[
    "Shanghai",
    "Beijing",
    "Toronto",
    "Boston",
    "Stanford",
    "Munich",
    "London",
    "Zurich",
    "Singapore",
    "Hong Kong",
    "Seoul",
    "Tokyo",
    "Paris",
    "Berlin",
    "Heidelberg",
    "Oxford",
    "Cambridge",
    "Montreal",
    "Sydney",
    "Shenzhen",
];

const INST_KINDS: &[&str] = &[
    "University",
    "Medical Center",
    "AI Lab",
    "Hospital",
    "Institute",
    "Research Center",
];

/// One synthetic work and its facts.
struct Work {
    slug: String,
    title: String,
    kind: String,
    strand: String,
    theme: String,
    /// A `provenance` term, or empty when the site has no such vocabulary.
    provenance: String,
    date: String,
    venue: String,
    institutions: Vec<String>,
    modalities: Vec<String>,
    organs: Vec<String>,
    tasks: Vec<String>,
    builds_on: Vec<String>,
    uses: Vec<String>,
    open_code: &'static str,
    open_weights: &'static str,
}

/// Term keys of the site's vocabularies.
struct Vocab {
    kinds: Vec<String>,
    strands: Vec<String>,
    themes: Vec<String>,
    modalities: Vec<String>,
    organs: Vec<String>,
    tasks: Vec<String>,
    /// The `institution` vocabulary, when the site has one (else free names are made up).
    institutions: Vec<String>,
    /// The `provenance` vocabulary, when the site has one (then every work names a term).
    provenances: Vec<String>,
}

impl Vocab {
    /// The term keys of the `vocabularies` of a site.yaml, in their order.
    fn from(site_yaml: &serde_yaml::Value) -> Result<Vocab> {
        let v = &site_yaml["vocabularies"];
        let keys = |name: &str| -> Result<Vec<String>> {
            let map = v[name]
                .as_mapping()
                .with_context(|| format!("site.yaml has no vocabulary `{name}`"))?;
            Ok(map.keys().filter_map(|k| k.as_str().map(str::to_string)).collect())
        };
        Ok(Vocab {
            kinds: keys("kind")?,
            strands: keys("strand")?,
            themes: keys("theme")?,
            modalities: keys("modality")?,
            organs: keys("organ")?,
            tasks: keys("task")?,
            institutions: keys("institution").unwrap_or_default(),
            provenances: keys("provenance").unwrap_or_default(),
        })
    }
}

/// Command-line options.
struct Options {
    pages: usize,
    out: PathBuf,
    site: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Options> {
    let mut opts = Options {
        pages: 1000,
        out: PathBuf::from("bench/corpus"),
        site: PathBuf::from("site.yaml"),
        seed: 2024,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--pages" => opts.pages = value()?.parse().context("--pages takes a number")?,
            "--out" => opts.out = PathBuf::from(value()?),
            "--site" => opts.site = PathBuf::from(value()?),
            "--seed" => opts.seed = value()?.parse().context("--seed takes a number")?,
            "-h" | "--help" => {
                println!("usage: gen-corpus [--pages N] [--out DIR] [--site site.yaml] [--seed S]");
                std::process::exit(0);
            }
            other => bail!("unknown argument `{other}`"),
        }
    }
    if opts.pages < 2 {
        bail!("--pages must be at least 2");
    }
    Ok(opts)
}

fn main() -> ExitCode {
    match parse_args().and_then(|o| generate(&o)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn generate(opts: &Options) -> Result<()> {
    let text = fs::read_to_string(&opts.site)
        .with_context(|| format!("reading {}", opts.site.display()))?;
    let config: serde_yaml::Value = serde_yaml::from_str(&text).context("parsing site.yaml")?;
    let vocab = Vocab::from(&config)?;
    let mut rng = Rng(opts.seed);
    let works = make_works(&mut rng, &vocab, opts.pages.div_ceil(2));
    for tree in ["content", "hugo-content"] {
        let dir = opts.out.join(tree);
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    let mut body_rng = Rng(opts.seed ^ 0x5EED);
    for (i, w) in works.iter().enumerate() {
        let zh = body(&mut body_rng, Lang::Zh, i, &works);
        let en = body(&mut body_rng, Lang::En, i, &works);
        write_work(&opts.out, w, &zh, &en)?;
    }
    write_sections(&opts.out, &vocab)?;
    println!(
        "wrote {} work pages ({} works × 2 languages) into {}",
        works.len() * 2,
        works.len(),
        opts.out.display()
    );
    Ok(())
}

fn make_works(rng: &mut Rng, vocab: &Vocab, count: usize) -> Vec<Work> {
    let made_up: Vec<String> = (0..count / 10 + 40)
        .map(|i| {
            format!(
                "{} {} {i}",
                PLACES[i % PLACES.len()],
                INST_KINDS[(i / PLACES.len()) % INST_KINDS.len()]
            )
        })
        .collect();
    let institutions = if vocab.institutions.is_empty() {
        &made_up
    } else {
        &vocab.institutions
    };
    let mut works: Vec<Work> = Vec::with_capacity(count);
    for i in 0..count {
        let kind = rng.pick(&vocab.kinds).clone();
        let earlier: Vec<String> = sample_earlier(rng, &works, 2, |_| true);
        let uses = sample_earlier(rng, &works, 1, |w| {
            w.kind == "dataset" || w.kind == "benchmark"
        });
        let name = format!(
            "{}{}",
            capitalize(rng.pick::<&str>(EN_WORDS)),
            capitalize(rng.pick::<&str>(EN_WORDS))
        );
        works.push(Work {
            slug: format!("{}-{i:05}", name.to_lowercase()),
            title: format!("{name}-{i}"),
            kind,
            strand: rng.pick(&vocab.strands).clone(),
            theme: rng.pick(&vocab.themes).clone(),
            provenance: if vocab.provenances.is_empty() {
                String::new()
            } else {
                rng.pick(&vocab.provenances).clone()
            },
            date: format!(
                "{}-{:02}-{:02}",
                2018 + rng.below(7),
                1 + rng.below(12),
                1 + rng.below(28)
            ),
            venue: rng.pick(VENUES).to_string(),
            institutions: rng.one_to(institutions, 3),
            modalities: rng.one_to(&vocab.modalities, 3),
            organs: rng.one_to(&vocab.organs, 2),
            tasks: rng.one_to(&vocab.tasks, 2),
            builds_on: earlier,
            uses,
            open_code: ["true", "false", "unknown"][rng.below(3)],
            open_weights: ["true", "false", "unknown"][rng.below(3)],
        });
    }
    works
}

/// Up to `k` slugs of recent earlier works matching `keep` (lineage points backwards, like real citations).
fn sample_earlier(
    rng: &mut Rng,
    works: &[Work],
    k: usize,
    keep: impl Fn(&Work) -> bool,
) -> Vec<String> {
    let window = &works[works.len().saturating_sub(200)..];
    let candidates: Vec<String> = window
        .iter()
        .filter(|w| keep(w))
        .map(|w| w.slug.clone())
        .collect();
    let n = rng.below(k + 1);
    rng.some(&candidates, n)
}

fn capitalize(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Zh,
    En,
}

fn sentence(rng: &mut Rng, lang: Lang, words: usize) -> String {
    match lang {
        Lang::Zh => {
            let mut s: String = (0..words).map(|_| *rng.pick(ZH_WORDS)).collect();
            s.push('。');
            s
        }
        Lang::En => {
            let list: Vec<&str> = (0..words).map(|_| *rng.pick(EN_WORDS)).collect();
            format!("{}.", capitalize(&list.join(" ")))
        }
    }
}

fn paragraph(rng: &mut Rng, lang: Lang, words: usize) -> String {
    let sep = if lang == Lang::Zh { "" } else { " " };
    (0..words / 12)
        .map(|_| sentence(rng, lang, 12))
        .collect::<Vec<_>>()
        .join(sep)
}

/// About 600 words of Markdown: headings, a list, a table, links and one code block.
fn body(rng: &mut Rng, lang: Lang, i: usize, works: &[Work]) -> String {
    let h = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
    let other = &works[(i * 7 + 3) % works.len()];
    let another = &works[(i * 13 + 5) % works.len()];
    let mut out = String::new();
    let _ = write!(
        out,
        "## {}\n\n{} [{}](@/models/{}.md) {}\n\n",
        h("概述", "Overview"),
        paragraph(rng, lang, 60),
        other.title,
        other.slug,
        paragraph(rng, lang, 36)
    );
    let _ = write!(
        out,
        "## {}\n\n{}\n\n",
        h("核心思路", "Key idea"),
        paragraph(rng, lang, 84)
    );
    for _ in 0..4 {
        let _ = writeln!(
            out,
            "- **{}** {}",
            rng.pick(if lang == Lang::Zh { ZH_WORDS } else { EN_WORDS }),
            sentence(rng, lang, 10)
        );
    }
    let _ = write!(out, "\n## {}\n\n", h("数据与规模", "Data and scale"));
    out.push_str(&table(rng, lang));
    let _ = write!(out, "\n{}\n\n", paragraph(rng, lang, 60));
    let _ = write!(
        out,
        "## {}\n\n{}\n\n### {}\n\n{}\n\n",
        h("主要结果", "Results"),
        paragraph(rng, lang, 84),
        h("消融实验", "Ablations"),
        paragraph(rng, lang, 60)
    );
    let _ = write!(
        out,
        "## {}\n\n```python\n{}```\n\n",
        h("代码示例", "Code"),
        python_block(rng, &works[i].slug)
    );
    let _ = write!(
        out,
        "## {}\n\n{} [{}](@/models/{}.md)，[{}](https://example.org/papers/{}) {}\n",
        h("在脉络中的位置", "Place in the lineage"),
        paragraph(rng, lang, 48),
        another.title,
        another.slug,
        h("论文", "paper"),
        works[i].slug,
        paragraph(rng, lang, 48)
    );
    out
}

fn table(rng: &mut Rng, lang: Lang) -> String {
    let head = if lang == Lang::Zh {
        "| 数据集 | 图像数 | 模态 | 任务 |\n|---|---:|---|---|\n"
    } else {
        "| Dataset | Images | Modality | Task |\n|---|---:|---|---|\n"
    };
    let mut out = head.to_string();
    let words = if lang == Lang::Zh { ZH_WORDS } else { EN_WORDS };
    for _ in 0..5 {
        let _ = writeln!(
            out,
            "| {}-{} | {} | {} | {} |",
            rng.pick(words),
            rng.below(100),
            1000 + rng.below(900_000),
            rng.pick(words),
            rng.pick(words)
        );
    }
    out
}

/// A 15-line Python block, unique per page (so no cache can share work between pages).
fn python_block(rng: &mut Rng, slug: &str) -> String {
    let ident = slug.replace('-', "_");
    let (a, b, c) = (rng.below(1000), rng.below(100), rng.below(50) + 1);
    format!(
        "import torch\nfrom torch import nn\n\n\nclass Model_{ident}(nn.Module):\n    \"\"\"Encoder for {slug}.\"\"\"\n\n    def __init__(self, dim: int = {a}) -> None:\n        super().__init__()\n        self.proj = nn.Linear(dim, {b} + 1)\n        self.scale = {c}.0 / dim\n\n    def forward(self, x: torch.Tensor) -> torch.Tensor:\n        # project and rescale, then keep the top-{c} features\n        return self.proj(x * self.scale).topk({c}).values\n"
    )
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Front-matter facts shared by both trees (the medfm default-language file, every Hugo file).
fn facts(w: &Work) -> String {
    format!(
        "full_name: {full}\naliases: []\nkind: {kind}\nstrand: {strand}\ntheme: {theme}\n{provenance}date: {date}\nvenue: {venue}\nvenue_detail: {venue_d}\npaper:\n  title: {full}\n  doi: 10.5555/{slug}\narxiv: \"\"\ninstitutions: {inst}\nmodalities: {modal}\norgans: {organs}\ntasks: {tasks}\nbuilds_on: {builds}\nuses: {uses}\nopen_code: {oc}\nopen_weights: {ow}\nlinks:\n  - label: Paper\n    url: https://example.org/papers/{slug}\n  - label: GitHub\n    url: https://github.com/example/{slug}\n",
        full = quote(&format!("{} for medical imaging", w.title)),
        kind = w.kind,
        strand = w.strand,
        theme = w.theme,
        provenance = if w.provenance.is_empty() {
            String::new()
        } else {
            format!("provenance: {}\n", w.provenance)
        },
        date = w.date,
        venue = quote(&w.venue),
        venue_d = quote(&format!("{} ({})", w.venue, w.date)),
        slug = w.slug,
        inst = list(&w.institutions),
        modal = list(&w.modalities),
        organs = list(&w.organs),
        tasks = list(&w.tasks),
        builds = list(&w.builds_on),
        uses = list(&w.uses),
        oc = w.open_code,
        ow = w.open_weights,
    )
}

fn text_fields(w: &Work, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "summary: {} 是一个面向医学影像的基础模型，覆盖 {} 种模态。\ndata_scale: 约 {} 万张图像\nheadline: 在 {} 个外部验证任务上优于专用模型\n",
            w.title,
            w.modalities.len(),
            w.slug.len() * 7,
            w.tasks.len() * 11
        ),
        Lang::En => format!(
            "summary: {} is a foundation model for medical imaging covering {} modalities.\ndata_scale: about {}0,000 images\nheadline: Better than specialist models on {} external validation tasks\n",
            w.title,
            w.modalities.len(),
            w.slug.len() * 7,
            w.tasks.len() * 11
        ),
    }
}

fn write_work(out: &Path, w: &Work, zh: &str, en: &str) -> Result<()> {
    let title = format!("title: {}\n", quote(&w.title));
    let zh_fm = format!(
        "---\n{title}{}{}---\n\n",
        facts(w),
        text_fields(w, Lang::Zh)
    );
    let en_medfm = format!("---\n{}---\n\n", text_fields(w, Lang::En));
    let en_hugo = format!(
        "---\n{title}{}{}---\n\n",
        facts(w),
        text_fields(w, Lang::En)
    );
    write(
        &out.join("content/models").join(format!("{}.md", w.slug)),
        &format!("{zh_fm}{zh}"),
    )?;
    write(
        &out.join("content/models").join(format!("{}.en.md", w.slug)),
        &format!("{en_medfm}{en}"),
    )?;
    write(
        &out.join("hugo-content/models")
            .join(format!("{}.md", w.slug)),
        &format!("{zh_fm}{zh}"),
    )?;
    write(
        &out.join("hugo-content/models")
            .join(format!("{}.en.md", w.slug)),
        &format!("{en_hugo}{en}"),
    )
}

/// Home, one trend page per strand and an about page, in both languages and both trees.
fn write_sections(out: &Path, vocab: &Vocab) -> Result<()> {
    let mut pages = vec![
        (
            "_index".to_string(),
            "layout: home\n".to_string(),
            "首页",
            "Home",
        ),
        (
            "about".to_string(),
            "layout: page\nweight: 9\n".to_string(),
            "关于",
            "About",
        ),
    ];
    for (n, strand) in vocab.strands.iter().enumerate() {
        pages.push((
            format!("trends/{strand}"),
            format!("layout: trend\nstrand: {strand}\nweight: {}\n", n + 1),
            "脉络",
            "Strand",
        ));
    }
    for (path, extra, zh, en) in &pages {
        let zh_text = format!("---\ntitle: {zh} {path}\nsummary: 合成语料中的{zh}页面。\n{extra}---\n\n## {zh}\n\n合成语料。\n");
        let en_text = format!("---\ntitle: {en} {path}\nsummary: The {en} page of the synthetic corpus.\n---\n\n## {en}\n\nSynthetic corpus.\n");
        let en_hugo = format!("---\ntitle: {en} {path}\nsummary: The {en} page of the synthetic corpus.\n{extra}---\n\n## {en}\n\nSynthetic corpus.\n");
        for tree in ["content", "hugo-content"] {
            write(&out.join(tree).join(format!("{path}.md")), &zh_text)?;
        }
        write(&out.join("content").join(format!("{path}.en.md")), &en_text)?;
        write(
            &out.join("hugo-content").join(format!("{path}.en.md")),
            &en_hugo,
        )?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
