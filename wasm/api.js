// The JavaScript API of the npskit core, appended after the factory that
// Emscripten's MODULARIZE emits (as --extern-post-js, outside that factory, so
// every instance shares one NpsError class). It replaces the global, the
// CommonJS export or the worker global NpsKitCore with a factory of the same
// shape: `await NpsKitCore({locateFile, wasmBinary})` resolves to the API
// object below, and any failure to load rejects that promise.
//
// Inputs of summarize, compare and compareToBenchmark:
//   {promoters, passives, detractors}   counts (a summary object works too);
//   [h0, ..., h10]                      a plain array of 11 is a histogram;
//   {histogram: [...]}                  the same, explicitly;
//   any other array, or a typed array   0..10 scores, one per answer;
//   {scores: [...]}                     the same, explicitly (for 11 scores).
// Every number and decision comes from the core (categories, intervals,
// significance, bands, what a pasted score is); this file only checks the
// shape of arguments and names things. The calls are listed in the README
// ("The module's API").
// Every error is an NpsError whose code is the core's error name
// (invalid_score, invalid_confidence, parse_error, missing_column,
// invalid_argument, empty_input, ...) or load_failed / internal_error.
NpsKitCore = (function (createModule) {
  'use strict';

  // Empty in the wasm2js build, which carries the core as JavaScript.
  const wasmFileName = '@NPSKIT_WASM_FILE@';
  // What the CLI's `summarize` uses; `compare` lists no comment themes.
  const defaultThemes = 10;
  const chunkBytes = 1 << 20;

  class NpsError extends Error {
    constructor(code, message) {
      super(message);
      this.name = 'NpsError';
      this.code = code;
    }
  }

  const invalid = (message) => new NpsError('invalid_argument', message);

  function describe(value) {
    if (typeof value === 'string') return JSON.stringify(value);
    if (value === null || value === undefined) return String(value);
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value === 'bigint') return `${value}n (a BigInt)`;
    if (Array.isArray(value)) return `an array of ${value.length}`;
    if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
    return typeof value === 'function' ? 'a function' : 'an object';
  }

  const isWholeCount = (value) => Number.isSafeInteger(value) && value >= 0;
  const isNumberArray = (value) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView) && typeof value[0] !== 'bigint';

  function checkedOptions(options, allowed, name) {
    if (options === undefined || options === null) return {};
    if (typeof options !== 'object' || Array.isArray(options)) {
      throw invalid(`${name} is ${describe(options)}; expected an object`);
    }
    for (const key of Object.keys(options)) {
      if (!allowed.includes(key)) {
        throw invalid(`${name}.${key} is not an option; expected one of ${allowed.join(', ')}`);
      }
    }
    return options;
  }

  // In options, null means the same as leaving the option out.
  function text(value, fallback, name) {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      throw invalid(`${name} is ${describe(value)}; expected a non-empty string`);
    }
    return value;
  }

  function number(value, fallback, name, code = 'invalid_argument') {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new NpsError(code, `${name} is ${describe(value)}; expected a number`);
    }
    return value;
  }

  const confidenceOf = (options, name) =>
    number(options.confidence, 0.95, `${name}.confidence`, 'invalid_confidence');

  // The core reads bands as "name:lower,name:lower,...".
  function bandsText(bands, name) {
    if (bands === undefined || bands === null || typeof bands === 'string') return bands ?? null;
    if (!Array.isArray(bands)) {
      throw invalid(
        `${name} is ${describe(bands)}; expected [{name, lower}, ...] or "name:lower,..."`,
      );
    }
    return bands
      .map((band, index) => {
        const where = `${name}[${index}]`;
        if (band === null || typeof band !== 'object') {
          throw invalid(`${where} is ${describe(band)}; expected {name, lower}`);
        }
        if (typeof band.name !== 'string' || band.name.trim() === '' || /[,:]/.test(band.name)) {
          throw invalid(
            `${where}.name is ${describe(band.name)}; expected a non-empty name without "," or ":"`,
          );
        }
        if (typeof band.lower !== 'number' || !Number.isFinite(band.lower)) {
          throw invalid(
            `${where}.lower is ${describe(band.lower)}; expected a number in -100..100`,
          );
        }
        return `${band.name}:${band.lower}`;
      })
      .join(',');
  }

  function themesOf(themes, name) {
    if (themes === undefined || themes === null || themes === true) return defaultThemes;
    if (themes === false) return 0;
    if (!isWholeCount(themes)) {
      throw invalid(
        `${name} is ${describe(themes)}; expected a whole number of themes per category, or false`,
      );
    }
    return themes;
  }

  // The summary options every call of the core takes; the core's defaults
  // fill in what is left out.
  function statistics(options, name, themes, defaults) {
    return {
      method: text(options.method, defaults.method, `${name}.method`),
      confidence: confidenceOf(options, name),
      bands: bandsText(options.bands, `${name}.bands`),
      themes: themes ?? themesOf(options.themes, `${name}.themes`),
    };
  }

  function checkedHistogram(histogram, name) {
    if (!(Array.isArray(histogram) || isNumberArray(histogram)) || histogram.length !== 11) {
      throw invalid(`${name} is ${describe(histogram)}; expected 11 counts, one per score 0..10`);
    }
    return Array.from(histogram, (count, score) => {
      if (!isWholeCount(count)) {
        throw invalid(
          `${name}[${score}] is ${describe(count)}; expected a whole number of answers`,
        );
      }
      return count;
    });
  }

  // The core counts the scores (and says which is not one); here only the
  // type is checked, so that the message can quote what was passed.
  function scoresOf(scores, name) {
    for (let index = 0; index < scores.length; index += 1) {
      const score = scores[index];
      if (typeof score !== 'number' || !Number.isFinite(score)) {
        throw new NpsError(
          'invalid_score',
          `${name}[${index}] is ${describe(score)}; expected an integer score from 0 to 10`,
        );
      }
    }
    return { scores, name };
  }

  function checkedCounts(counts, name) {
    const checked = {};
    for (const category of ['promoters', 'passives', 'detractors']) {
      const count = counts[category];
      if (!isWholeCount(count)) {
        throw invalid(
          `${name}.${category} is ${describe(count)}; expected a whole number of answers`,
        );
      }
      checked[category] = count;
    }
    return checked;
  }

  // What the core tallies: {histogram}, {counts} or {scores, name}.
  function answersOf(input, name) {
    if (Array.isArray(input) && input.length === 11) {
      return { histogram: checkedHistogram(input, name) };
    }
    if (Array.isArray(input) || isNumberArray(input)) return scoresOf(input, name);
    if (input !== null && typeof input === 'object') {
      if ('histogram' in input) {
        return { histogram: checkedHistogram(input.histogram, `${name}.histogram`) };
      }
      if ('scores' in input) {
        const scores = input.scores;
        if (!(Array.isArray(scores) || isNumberArray(scores))) {
          throw invalid(`${name}.scores is ${describe(scores)}; expected an array of 0..10 scores`);
        }
        return scoresOf(scores, `${name}.scores`);
      }
      if ('promoters' in input || 'passives' in input || 'detractors' in input) {
        return { counts: checkedCounts(input, name) };
      }
    }
    throw invalid(
      `${name} is ${describe(input)}; expected {promoters, passives, detractors}, ` +
        'an 11-count histogram or an array of 0..10 scores',
    );
  }

  // One expected split for both groups, or [a, b].
  function splitsOf(expect) {
    if (!Array.isArray(expect)) {
      return [splitOf(expect, 'plan.expect'), splitOf(expect, 'plan.expect')];
    }
    if (expect.length !== 2) {
      throw invalid(
        `plan.expect is ${describe(expect)}; expected one split or [a, b] for the two groups`,
      );
    }
    return expect.map((split, index) => splitOf(split, `plan.expect[${index}]`));
  }

  function splitOf(split, name) {
    if (split === undefined || split === null) return null;
    if (typeof split !== 'object' || Array.isArray(split)) {
      throw invalid(`${name} is ${describe(split)}; expected {promoters, passives, detractors}`);
    }
    return checkedCounts(split, name);
  }

  // Emscripten 3.1.6 loads the .wasm with the global fetch, which Node 18
  // and later have but which cannot open file paths; read the file instead.
  const nodeBinaries = new Map();
  function nodeBinary(settings) {
    const path = require('path');
    const file =
      typeof settings.locateFile === 'function'
        ? settings.locateFile(wasmFileName, __dirname + path.sep)
        : path.join(__dirname, wasmFileName);
    if (!nodeBinaries.has(file)) nodeBinaries.set(file, require('fs').readFileSync(file));
    return nodeBinaries.get(file);
  }
  const inCommonJsNode =
    typeof process === 'object' &&
    typeof process.versions?.node === 'string' &&
    typeof require === 'function' &&
    typeof __dirname === 'string';

  function loadFailure(reason) {
    if (reason instanceof NpsError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new NpsError('load_failed', `the npskit core could not be loaded: ${message}`);
  }

  function createApi(module) {
    // One buffer carries every pushed chunk into the module; pushes are
    // synchronous, so all readers share it.
    let buffer = 0;
    const chunkBuffer = () => buffer || (buffer = module._malloc(chunkBytes));

    function call(name, ...args) {
      let answer;
      try {
        answer = JSON.parse(module[name](...args));
      } catch (failure) {
        const message = failure instanceof Error ? failure.message : String(failure);
        throw new NpsError('internal_error', `the npskit core failed in ${name}: ${message}`);
      }
      if ('error' in answer) throw new NpsError(answer.error, answer.message);
      return answer.value;
    }

    // The core's defaults: the interval method, the confidence level, the
    // benchmark bands and the category of each score 0..10.
    const defaults = call('defaults');
    Object.freeze(defaults.categories);

    function summarize(input, options) {
      const given = checkedOptions(options, ['method', 'confidence', 'bands', 'themes'], 'options');
      return call(
        'summarize',
        answersOf(input, 'input'),
        statistics(given, 'options', undefined, defaults),
      );
    }

    const testOptions = ['method', 'confidence', 'bands'];

    // The test's fields come from the core, significance included, in the
    // order of `npskit compare --json`.
    function compare(a, b, options) {
      const given = statistics(
        checkedOptions(options, testOptions, 'options'),
        'options',
        0,
        defaults,
      );
      const first = answersOf(a, 'a');
      const second = answersOf(b, 'b');
      const summaries = { a: call('summarize', first, given), b: call('summarize', second, given) };
      const test = call('compare', first, second, given.method, given.confidence);
      return { schema: 'npskit.comparison/1', ...test, ...summaries };
    }

    function compareToBenchmark(input, benchmark, options) {
      const given = statistics(
        checkedOptions(options, testOptions, 'options'),
        'options',
        0,
        defaults,
      );
      const answers = answersOf(input, 'input');
      const value = number(benchmark, undefined, 'benchmark');
      if (value === undefined) {
        throw invalid('benchmark is missing; expected an NPS value in -100..100');
      }
      const summary = call('summarize', answers, given);
      const test = call('compare', answers, value, given.method, given.confidence);
      return { schema: 'npskit.benchmark-comparison/1', ...test, benchmark: value, summary };
    }

    function sampleSize(plan) {
      const given = checkedOptions(
        plan,
        ['margin', 'difference', 'power', 'confidence', 'method', 'expect'],
        'plan',
      );
      const confidence = confidenceOf(given, 'plan');
      const hasMargin = given.margin != null;
      if (hasMargin === (given.difference != null)) {
        throw invalid(
          'plan needs either margin (the interval half-width in NPS points) or difference ' +
            '(the NPS points to detect between two groups)',
        );
      }
      if (hasMargin) {
        if (given.power != null) {
          throw invalid('plan.power applies to a difference, not to a margin');
        }
        const margin = number(given.margin, undefined, 'plan.margin');
        const method = text(given.method, 'adjusted-wald', 'plan.method');
        return call(
          'planForMargin',
          margin,
          confidence,
          method,
          splitOf(given.expect, 'plan.expect'),
        );
      } else {
        if (given.method != null) {
          throw invalid('plan.method applies to a margin; a difference is planned for the z test');
        }
        const difference = number(given.difference, undefined, 'plan.difference');
        const power = number(given.power, 0.8, 'plan.power');
        const [expectA, expectB] = splitsOf(given.expect);
        return call('planForDifference', difference, confidence, power, expectA, expectB);
      }
    }

    function zForConfidence(confidence) {
      const level = number(confidence, undefined, 'confidence', 'invalid_confidence');
      if (level === undefined) {
        throw new NpsError(
          'invalid_confidence',
          'confidence is missing; expected a level such as 0.95',
        );
      }
      return call('zForConfidence', level);
    }

    // The category the core puts one answer of this score in.
    function classify(score) {
      const category = Number.isInteger(score) ? defaults.categories[score] : undefined;
      if (category === undefined) {
        throw new NpsError(
          'invalid_score',
          `score is ${describe(score)}; expected an integer score from 0 to 10`,
        );
      }
      return category;
    }

    function parseScores(pasted) {
      if (typeof pasted !== 'string') {
        throw invalid(`text is ${describe(pasted)}; expected the pasted scores as a string`);
      }
      return call('parseScores', pasted);
    }

    function checkBands(bands) {
      const given = bandsText(bands, 'bands');
      if (given === null) throw invalid('bands is missing; expected [{name, lower}, ...]');
      return call('parseBands', given);
    }

    const readerOptions = [
      'format',
      'scoreColumn',
      'weightColumn',
      'segmentColumn',
      'segmentColumns',
      'minGroupSize',
      'foldGroupsBelow',
      'maxRejections',
      'dateColumn',
      'commentColumn',
      'csatColumn',
      'cesColumn',
      'by',
      'trend',
      'utcOffset',
      'dateOrder',
      'method',
      'confidence',
      'bands',
      'themes',
    ];
    // bindings.cpp reads the column names in this order.
    const columnOptions = [
      'scoreColumn',
      'weightColumn',
      'segmentColumn',
      'dateColumn',
      'commentColumn',
      'csatColumn',
      'cesColumn',
    ];
    const encoder = new TextEncoder();

    function bytesOf(chunk) {
      if (chunk instanceof Uint8Array) return chunk;
      if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
      if (ArrayBuffer.isView(chunk)) {
        return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      throw invalid(
        `chunk is ${describe(chunk)}; expected a Uint8Array, an ArrayBuffer or a string`,
      );
    }

    // Several segment columns: each alone and every two crossed, by the core.
    function segmentColumnsOf(columns) {
      if (columns === undefined || columns === null) return [];
      if (!Array.isArray(columns) || columns.some((name) => typeof name !== 'string')) {
        throw invalid(
          `options.segmentColumns is ${describe(columns)}; expected an array of column names`,
        );
      }
      return columns;
    }

    function createReader(options) {
      const given = checkedOptions(options, readerOptions, 'options');
      const settings = statistics(given, 'options', undefined, defaults);
      settings.format = text(given.format, 'csv', 'options.format');
      settings.by = text(given.by, 'none', 'options.by');
      // The same answers also grouped by a period, in the same pass over the
      // input: finish() then gives the summary with this grouping as .trend.
      settings.trend = text(given.trend, null, 'options.trend');
      // Periods are counted in UTC unless a fixed offset such as "+02:00" is
      // given; dates like 01.03.2026 are read only with a dateOrder.
      settings.utcOffset = text(given.utcOffset, null, 'options.utcOffset');
      settings.dateOrder = text(given.dateOrder, null, 'options.dateOrder');
      settings.columns = columnOptions.map((key) => text(given[key], null, `options.${key}`));
      settings.segmentColumns = segmentColumnsOf(given.segmentColumns);
      settings.minGroupSize = given.minGroupSize ?? 0;
      // Groups shown to others: those too small to stay anonymous are folded.
      settings.foldGroupsBelow = given.foldGroupsBelow ?? 0;
      // How many rejected rows are listed with their reason and text.
      settings.maxRejections = given.maxRejections ?? 100;
      if (!isWholeCount(settings.maxRejections)) {
        throw invalid(
          `options.maxRejections is ${describe(given.maxRejections)}; expected a whole number of rows`,
        );
      }
      for (const name of ['minGroupSize', 'foldGroupsBelow']) {
        if (!isWholeCount(settings[name])) {
          throw invalid(
            `options.${name} is ${describe(given[name])}; expected a whole number of answers`,
          );
        }
      }
      const id = call('readerCreate', settings);
      let open = true;
      let progress = { bytes: 0, records: 0, rejected: 0 };

      function step(length, finishing) {
        if (!open) {
          throw invalid('this reader is already finished, failed or aborted; create a new one');
        }
        try {
          return call('readerStep', id, chunkBuffer(), length, finishing);
        } catch (failure) {
          open = false;
          throw failure;
        }
      }

      function pushPiece(length) {
        progress = step(length, false);
      }

      return {
        /** Reads the next chunk, split anywhere; answers {bytes, records, rejected} so far. */
        push(chunk) {
          if (typeof chunk === 'string') {
            // encodeInto never splits a character, so every piece is whole UTF-8.
            let rest = chunk;
            do {
              // Allocating may grow the memory, which replaces module.HEAPU8.
              const address = chunkBuffer();
              const target = module.HEAPU8.subarray(address, address + chunkBytes);
              const { read, written } = encoder.encodeInto(rest, target);
              rest = rest.slice(read);
              pushPiece(written);
            } while (rest.length > 0);
            return { ...progress };
          }
          const bytes = bytesOf(chunk);
          let offset = 0;
          do {
            const piece = bytes.subarray(offset, offset + chunkBytes);
            const address = chunkBuffer();
            module.HEAPU8.set(piece, address);
            pushPiece(piece.length);
            offset += piece.length;
          } while (offset < bytes.length);
          return { ...progress };
        },
        /** Ends the input; answers the npskit.summary/1 object with its rejections. */
        finish() {
          const answer = step(0, true);
          open = false;
          return settings.trend === null
            ? answer
            : Object.assign(answer.summary, { trend: answer.trend });
        },
        /** Drops the reader and what it has read. */
        abort() {
          if (!open) return;
          open = false;
          module.readerAbort(id);
        },
      };
    }

    // What each column of a file holds, from its first bytes (at most one
    // buffer's worth; a longer input is profiled from its start).
    function profileColumns(input, options) {
      const given = checkedOptions(options, ['format', 'truncated'], 'options');
      const format = text(given.format, 'csv', 'options.format');
      let truncated = given.truncated ?? false;
      if (typeof truncated !== 'boolean') {
        throw invalid(`options.truncated is ${describe(given.truncated)}; expected true or false`);
      }
      const address = chunkBuffer();
      const target = module.HEAPU8.subarray(address, address + chunkBytes);
      let length;
      if (typeof input === 'string') {
        const { read, written } = encoder.encodeInto(input, target);
        truncated = truncated || read < input.length;
        length = written;
      } else {
        const bytes = bytesOf(input);
        length = Math.min(bytes.length, chunkBytes);
        truncated = truncated || length < bytes.length;
        target.set(bytes.subarray(0, length));
      }
      return call('profileColumns', address, length, format, truncated);
    }

    // CSAT (1..5) and CES (1..7): the metric's name, then answers as an
    // array of ratings or {histogram: counts per rating}; everything else is
    // the core's, as for NPS.
    const ratingSizes = { csat: 5, ces: 7 };
    function metricOf(metric) {
      if (!(metric in ratingSizes)) {
        throw invalid(`metric is ${describe(metric)}; expected "csat" or "ces"`);
      }
      return metric;
    }
    function ratingsOf(metric, input, name) {
      if (Array.isArray(input) || ArrayBuffer.isView(input)) {
        return { values: Array.from(input, Number), name };
      }
      if (input && typeof input === 'object' && 'histogram' in input) {
        const histogram = input.histogram;
        if (!Array.isArray(histogram) || histogram.length !== ratingSizes[metric]) {
          throw invalid(
            `${name}.histogram is ${describe(histogram)}; expected ${ratingSizes[metric]} counts, one per ${metric} rating`,
          );
        }
        histogram.forEach((count, index) => {
          if (!Number.isSafeInteger(count) || count < 0) {
            throw invalid(
              `${name}.histogram[${index}] is ${describe(count)}; expected a whole count`,
            );
          }
        });
        return { histogram };
      }
      throw invalid(
        `${name} is ${describe(input)}; expected an array of ratings or {histogram: [...]}`,
      );
    }
    const ratings = {
      /** The "csat"/"ces" block of npskit.summary/1 for these answers. */
      summarize(metric, input, options) {
        const given = checkedOptions(options, ['confidence'], 'options');
        const chosen = metricOf(metric);
        return call(
          'ratingSummary',
          chosen,
          ratingsOf(chosen, input, 'input'),
          confidenceOf(given, 'options'),
        );
      },
      /** {share: two-proportion test, mean: Welch's test} of group a against b. */
      compare(metric, a, b, options) {
        const given = checkedOptions(options, ['confidence'], 'options');
        const chosen = metricOf(metric);
        return call(
          'ratingCompare',
          chosen,
          ratingsOf(chosen, a, 'a'),
          ratingsOf(chosen, b, 'b'),
          confidenceOf(given, 'options'),
        );
      },
      /**
       * {n, variance, z, half_width}: kind share or mean with a margin, or
       * share-difference or mean-difference with a difference (and power).
       * expect: the expected share in % (or standard deviation for means);
       * for a share difference [a, b].
       */
      sampleSize(metric, plan) {
        const chosen = metricOf(metric);
        const given = checkedOptions(
          plan,
          ['kind', 'margin', 'difference', 'confidence', 'power', 'expect'],
          'plan',
        );
        const kind = text(given.kind, undefined, 'plan.kind');
        const isDifference = kind === 'share-difference' || kind === 'mean-difference';
        const target = number(
          isDifference ? given.difference : given.margin,
          undefined,
          isDifference ? 'plan.difference' : 'plan.margin',
        );
        const expect = Array.isArray(given.expect) ? given.expect : [given.expect, given.expect];
        return call('ratingPlan', chosen, {
          kind,
          target,
          confidence: confidenceOf(given, 'plan'),
          power: number(given.power, 0.8, 'plan.power'),
          expectedA: number(expect[0], null, 'plan.expect'),
          expectedB: number(expect[1], null, 'plan.expect'),
        });
      },
      /** Pasted ratings: {histogram, rejected, rejections}. */
      parse(metric, pasted) {
        if (typeof pasted !== 'string') {
          throw invalid(`text is ${describe(pasted)}; expected the pasted ratings as a string`);
        }
        return call('parseRatings', metricOf(metric), pasted);
      },
    };

    return {
      version: module.version,
      ratings,
      summarize,
      compare,
      compareToBenchmark,
      sampleSize,
      zForConfidence,
      classify,
      /** The category of each score 0..10: scoreCategories[9] is 'promoter'. */
      scoreCategories: defaults.categories,
      /** The default benchmark bands, [{name, lower}, ...]. */
      defaultBands: () => defaults.bands.map((band) => ({ ...band })),
      checkBands,
      parseScores,
      defaultMethod: defaults.method,
      defaultConfidence: defaults.confidence,
      createReader,
      /** Each column's name, three sample values and what its values look like. */
      profileColumns,
      /** Bytes of memory the module holds; it grows with use and never shrinks. */
      memoryBytes: () => module.HEAPU8.length,
      NpsError,
    };
  }

  function NpsKitCore(moduleArguments) {
    return new Promise((resolve, reject) => {
      const settings = Object.assign({}, moduleArguments);
      const onAbort = settings.onAbort;
      settings.onAbort = (what) => {
        reject(loadFailure(what));
        if (typeof onAbort === 'function') onAbort(what);
      };
      try {
        if (wasmFileName && inCommonJsNode && !settings.wasmBinary && !settings.instantiateWasm) {
          settings.wasmBinary = nodeBinary(settings);
        }
        createModule(settings)
          .then(createApi)
          .then(resolve, (reason) => reject(loadFailure(reason)));
      } catch (failure) {
        reject(loadFailure(failure));
      }
    });
  }
  NpsKitCore.NpsError = NpsError;
  return NpsKitCore;
})(NpsKitCore);

if (typeof module === 'object' && typeof exports === 'object') module.exports = NpsKitCore;
