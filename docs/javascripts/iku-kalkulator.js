/*
 * iku-formula: the calculator of each indicator page (issue 12, item 5).
 *
 * Reads the indicator's definition from the page (the JSON interchange format that
 * Catalog.to_json writes: the expression tree, the targets, the achievement rule) and computes
 * realisasi, capaian, status and predikat as the fields change, with exact rational arithmetic on BigInt,
 * as the Python exact path does (engines/exact.py, achievement.py, numbers.display). Nothing is
 * loaded from anywhere; data is written with textContent only.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ exact rationals

  function gcd(a, b) {
    if (a < 0n) a = -a;
    if (b < 0n) b = -b;
    while (b) {
      const t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  function Q(n, d) {
    if (d === undefined) d = 1n;
    if (d === 0n) throw new Error("zero denominator");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n, d) || 1n;
    return { n: n / g, d: d / g };
  }

  const ZERO = Q(0n);
  const ONE = Q(1n);
  const HUNDRED = Q(100n);
  const add = (a, b) => Q(a.n * b.d + b.n * a.d, a.d * b.d);
  const sub = (a, b) => Q(a.n * b.d - b.n * a.d, a.d * b.d);
  const mul = (a, b) => Q(a.n * b.n, a.d * b.d);
  const div = (a, b) => Q(a.n * b.d, a.d * b.n);
  const cmp = (a, b) => {
    const x = a.n * b.d - b.n * a.d;
    return x < 0n ? -1 : x > 0n ? 1 : 0;
  };
  const isZero = (a) => a.n === 0n;

  function pow(base, exponent) {
    let result = ONE;
    for (let i = 0; i < Math.abs(exponent); i++) result = mul(result, base);
    return exponent < 0 ? div(ONE, result) : result;
  }

  /** "p" or "p/q", as the interchange format writes exact numbers. */
  function parseExact(text) {
    const [p, q] = String(text).split("/");
    return Q(BigInt(p), q === undefined ? 1n : BigInt(q));
  }

  function exactText(a) {
    return a.d === 1n ? a.n.toString() : a.n.toString() + "/" + a.d.toString();
  }

  // ------------------------------------------------------------------ numbers for people

  /** numbers.display: `places` decimals, half up (ties away from zero) or truncated. */
  function display(value, places, halfUp, count) {
    if (count && value.d === 1n) return value.n.toString();
    const scale = 10n ** BigInt(places);
    const absolute = value.n < 0n ? -value.n : value.n;
    let whole = (absolute * scale) / value.d; // floor, both non-negative
    if (halfUp && 2n * ((absolute * scale) % value.d) >= value.d) whole += 1n;
    const sign = value.n < 0n && whole !== 0n ? "-" : "";
    const digits = whole.toString().padStart(places + 1, "0");
    return sign + (places ? digits.slice(0, -places) + "." + digits.slice(-places) : digits);
  }

  /** numbers.indonesian: "-1234.50" as "-1.234,50". */
  function indonesian(text) {
    const sign = text.startsWith("-") ? "-" : "";
    const [integer, decimals] = text.replace(/^-/, "").split(".");
    const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return sign + grouped + (decimals ? "," + decimals : "");
  }

  /** A number as people type it: digits, one decimal comma or point (numbers.NUMBER_TEXT_RE). */
  function parseTyped(text) {
    const match = /^([+-]?)([0-9]+)(?:[.,]([0-9]+))?$/.exec(text.trim());
    if (!match) return null;
    const decimals = match[3] || "";
    const n = BigInt(match[2] + decimals) * (match[1] === "-" ? -1n : 1n);
    return Q(n, 10n ** BigInt(decimals.length));
  }

  // ------------------------------------------------------------------ the formula language

  function undefinedResult(reason) {
    return { reason: reason };
  }

  const isUndefined = (r) => r.reason !== undefined;

  function described(tree, labels) {
    return tree.input !== undefined ? labels[tree.input] || tree.input : "ekspresinya";
  }

  /** Each function of the table (language/functions.py), by its name in the language. */
  const FUNCTIONS = {
    persen: {
      divisor: (v) => v[1],
      reason: (args, labels) => "penyebut (" + described(args[1], labels) + ") bernilai 0",
      exact: (v) => mul(div(v[0], v[1]), HUNDRED),
    },
    pertumbuhan: {
      divisor: (v) => v[1],
      reason: (args, labels) =>
        "nilai periode sebelumnya (" + described(args[1], labels) + ") bernilai 0, " +
        "sehingga pertumbuhan tidak terdefinisi",
      exact: (v) => mul(div(sub(v[0], v[1]), v[1]), HUNDRED),
    },
    rata_rata_tertimbang: {
      divisor: (v) => v.filter((_, i) => i % 2 === 1).reduce(add, ZERO),
      reason: () => "jumlah bobot bernilai 0",
      exact: (v) => {
        let top = ZERO;
        let bottom = ZERO;
        for (let i = 0; i < v.length; i += 2) {
          top = add(top, mul(v[i], v[i + 1]));
          bottom = add(bottom, v[i + 1]);
        }
        return div(top, bottom);
      },
    },
    rata_rata: {
      lenient: true,
      exact: (v) => div(v.reduce(add, ZERO), Q(BigInt(v.length))),
    },
  };

  function evaluate(tree, env, skip, labels) {
    if (tree.input !== undefined) return { value: env[tree.input] };
    if (tree.number !== undefined) return { value: parseExact(tree.number) };
    if (tree.op === "add" || tree.op === "mul") {
      let total = tree.op === "add" ? ZERO : ONE;
      for (const arg of tree.args) {
        const r = evaluate(arg, env, skip, labels);
        if (isUndefined(r)) return r;
        total = tree.op === "add" ? add(total, r.value) : mul(total, r.value);
      }
      return { value: total };
    }
    if (tree.op === "pow") {
      const base = evaluate(tree.base, env, skip, labels);
      if (isUndefined(base)) return base;
      if (tree.exponent < 0 && isZero(base.value)) {
        return undefinedResult("pembagian dengan nol: " + described(tree.base, labels) + " bernilai 0");
      }
      return { value: pow(base.value, tree.exponent) };
    }
    const spec = FUNCTIONS[tree.call];
    if (!spec) throw new Error("unknown function " + tree.call);
    const results = tree.args.map((arg) => evaluate(arg, env, skip, labels));
    const values = results.filter((r) => !isUndefined(r)).map((r) => r.value);
    if (spec.lenient) {
      if (values.length === results.length) return { value: spec.exact(values) };
      if (skip && values.length > 0) return { value: spec.exact(values) };
      const reasons = results.filter(isUndefined).map((r) => r.reason);
      return undefinedResult("sebagian rata-rata tidak terdefinisi: " + reasons.join("; "));
    }
    const first = results.find(isUndefined);
    if (first) return first;
    if (isZero(spec.divisor(values))) return undefinedResult(spec.reason(tree.args, labels));
    return { value: spec.exact(values) };
  }

  // ------------------------------------------------------------------ capaian (achievement.py)

  /** LowerIsBetter.exact: capaian of a minimised indicator by the catalog's `minimize`. */
  const LOWER_IS_BETTER = {
    two_minus_ratio: (value, target) => {
      const result = mul(sub(Q(2n), div(value, target)), HUNDRED);
      return { value: cmp(result, ZERO) < 0 ? ZERO : result };
    },
    inverse_ratio: (value, target) => {
      if (isZero(value)) {
        return { reason: "realisasi bernilai 0, sehingga capaian (target / realisasi) tidak terdefinisi" };
      }
      return { value: mul(div(target, value), HUNDRED) };
    },
  };

  /** AchievementRule.achievement; `rule` is the interchange's catalog.achievement. */
  function achievement(value, target, polarity, rule) {
    if (isZero(target)) return { reason: "target bernilai 0, sehingga capaian tidak terdefinisi" };
    let result;
    if (polarity === "maximize") {
      result = mul(div(value, target), HUNDRED);
    } else {
      const formula = LOWER_IS_BETTER[rule.minimize];
      if (!formula) throw new Error("unknown minimize " + rule.minimize);
      const computed = formula(value, target);
      if (computed.reason) return computed;
      result = computed.value;
    }
    const cap = rule.cap === null ? null : parseExact(rule.cap);
    if (cap && cmp(result, cap) > 0) result = cap;
    return { value: result };
  }

  /** achievement() on interchange texts ("p" or "p/q"), for tests: {value: "p/q" | null, reason}. */
  function achievementText(value, target, polarity, rule) {
    const reached = achievement(parseExact(value), parseExact(target), polarity, rule);
    return { value: reached.value === undefined ? null : exactText(reached.value), reason: reached.reason || null };
  }

  function met(value, target, polarity) {
    return polarity === "maximize" ? cmp(value, target) >= 0 : cmp(value, target) <= 0;
  }

  /** evaluation.from_parts: realisasi of the first part, the lowest capaian, met when all are. */
  function evaluateIndicator(data, env) {
    const indicator = data.indicator;
    const labels = {};
    for (const input of data.inputs) labels[input.name] = input.label;
    const skip = indicator.undefined_parts === "skip";
    const trees = [indicator.formula.tree].concat(indicator.part_formulas.map((f) => f.tree));
    const parts = trees.map((tree, i) => {
      const target = parseExact(indicator.target.parts[i].value);
      const result = evaluate(tree, env, skip, labels);
      if (isUndefined(result)) return { value: null, achievement: null, met: false, reason: result.reason };
      const reached = achievement(result.value, target, indicator.polarity, data.achievement);
      return {
        value: result.value,
        achievement: reached.value === undefined ? null : reached.value,
        met: met(result.value, target, indicator.polarity),
        reason: reached.reason || null,
      };
    });
    const reason = (parts.find((p) => p.reason) || {}).reason || null;
    let lowest = null;
    if (parts.every((p) => p.achievement !== null)) {
      lowest = parts.map((p) => p.achievement).reduce((a, b) => (cmp(a, b) <= 0 ? a : b));
    }
    let status = "undefined";
    if (parts.every((p) => p.value !== null)) status = parts.every((p) => p.met) ? "met" : "not_met";
    return { parts: parts, achievement: lowest, status: status, reason: reason };
  }

  /** predikat.PredikatScale.classify: the band holding the exact value, or null outside. */
  function classify(scale, value) {
    const bands = scale.bands;
    const bound = (text) => (text === null ? null : parseExact(text));
    const top = bands[bands.length - 1];
    if (top.upper !== null && cmp(value, bound(top.upper)) === 0) return top;
    for (const band of bands) {
      const lower = bound(band.lower);
      const upper = bound(band.upper);
      if ((lower === null || cmp(lower, value) <= 0) && (upper === null || cmp(value, upper) < 0)) {
        return band;
      }
    }
    return null;
  }

  const STATUS = { met: "tercapai", not_met: "tidak tercapai", undefined: "tidak terdefinisi" };

  // ------------------------------------------------------------------ the page

  function checkValue(input, text) {
    if (text.trim() === "") return { missing: true };
    const value = parseTyped(text);
    if (value === null) return { error: "bukan angka; tulis misalnya 12 atau 3,5" };
    if (input.kind === "count" && (value.n < 0n || value.d !== 1n)) {
      return { error: "cacah berupa bilangan bulat 0 atau lebih" };
    }
    if (input.kind === "amount" && value.n < 0n) return { error: "besaran bernilai 0 atau lebih" };
    if (input.kind === "score") {
      const low = parseExact(input.minimum);
      const high = parseExact(input.maximum);
      if (cmp(value, low) < 0 || cmp(value, high) > 0) {
        return {
          error: "di luar rentang " + indonesian(exactDecimal(low)) + "–" + indonesian(exactDecimal(high)),
        };
      }
    }
    return { value: value };
  }

  function exactDecimal(value) {
    // the bounds of a score are short decimals; enough places to write them exactly
    for (let places = 0; places <= 10; places++) {
      const text = display(value, places, false, false);
      if (cmp(parseTyped(text), value) === 0) return text;
    }
    return exactText(value);
  }

  function setOutput(root, name, text, exact) {
    const element = root.querySelector('[data-iku-output="' + name + '"]');
    if (!element) return;
    element.textContent = text;
    if (exact === undefined) element.removeAttribute("data-iku-exact");
    else element.setAttribute("data-iku-exact", exact);
  }

  function shown(value, rule, count) {
    return indonesian(display(value, rule.places, rule.rounding === "half_up", count));
  }

  function update(root, data) {
    const env = {};
    const problems = [];
    let missing = 0;
    for (const input of data.inputs) {
      const field = root.querySelector('input[name="' + input.name + '"]');
      const checked = checkValue(input, field.value);
      const note = root.querySelector('[data-iku-problem="' + input.name + '"]');
      note.textContent = checked.error || "";
      field.setAttribute("aria-invalid", checked.error ? "true" : "false");
      if (checked.error) problems.push(input.label + ": " + checked.error);
      else if (checked.missing) missing += 1;
      else env[input.name] = checked.value;
    }
    const outputs = ["realisasi", "capaian", "status", "predikat"];
    const several = data.indicator.part_formulas.length > 0;
    if (several) outputs.push("capaian-1");
    data.indicator.part_formulas.forEach((_, i) => outputs.push("realisasi-" + (i + 2), "capaian-" + (i + 2)));
    if (problems.length || missing) {
      for (const name of outputs) setOutput(root, name, "–");
      setOutput(
        root,
        "keterangan",
        problems.length ? "Periksa masukan: " + problems.join("; ") : "Isi semua masukan untuk menghitung."
      );
      return;
    }
    const result = evaluateIndicator(data, env);
    const rule = data.achievement;
    result.parts.forEach((part, i) => {
      const suffix = i === 0 ? "" : "-" + (i + 1);
      const count = i === 0 && data.indicator.is_count;
      if (part.value === null) {
        setOutput(root, "realisasi" + suffix, "tidak terdefinisi", "undefined");
      } else {
        setOutput(root, "realisasi" + suffix, shown(part.value, rule, count), exactText(part.value));
      }
      if (several) {
        const name = "capaian-" + (i + 1);
        if (part.achievement === null) setOutput(root, name, "tidak terdefinisi", "undefined");
        else setOutput(root, name, shown(part.achievement, rule, false), exactText(part.achievement));
      }
    });
    if (result.achievement === null) setOutput(root, "capaian", "tidak terdefinisi", "undefined");
    else setOutput(root, "capaian", shown(result.achievement, rule, false), exactText(result.achievement));
    setOutput(root, "status", STATUS[result.status], result.status);
    if (data.predikat) {
      const basis = data.predikat.basis === "realisasi" ? result.parts[0].value : result.achievement;
      const band = basis === null ? null : classify(data.predikat, basis);
      if (band) setOutput(root, "predikat", band.code + " (" + band.label + ")", band.code);
      else setOutput(root, "predikat", "–", "none");
    }
    setOutput(root, "keterangan", result.reason ? "Tidak terdefinisi: " + result.reason : "");
  }

  function start() {
    for (const root of document.querySelectorAll(".iku-calculator")) {
      const source = root.querySelector("script.iku-calculator-data");
      if (!source) continue;
      const data = JSON.parse(source.textContent);
      const refresh = () => update(root, data);
      root.addEventListener("input", refresh);
      root.addEventListener("change", refresh);
      root.addEventListener("submit", (event) => event.preventDefault()); // Enter: no reload
      refresh();
      root.setAttribute("data-iku-ready", "true");
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.ikuKalkulator = {
    FUNCTIONS: Object.keys(FUNCTIONS),
    MINIMIZE: Object.keys(LOWER_IS_BETTER),
    display: display,
    indonesian: indonesian,
    achievement: achievementText,
  };
})();
