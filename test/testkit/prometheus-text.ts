/**
 * A strict reader of Prometheus's text exposition format (version 0.0.4), for tests: every line
 * must be a `# HELP`, a `# TYPE`, or a sample of a family whose TYPE came first; names, labels,
 * escapes and values are checked. Anything else throws, naming the line.
 */

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// as Prometheus reads values (Go's ParseFloat): NaN and Inf in any case (prom-client writes `Nan`)
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[nN][aA][nN]|[+-]?[iI][nN][fF])';
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL_NAME}=${LABEL_VALUE})(?:,${LABEL_NAME}=${LABEL_VALUE})*)?,?\\})? (${VALUE})(?: -?\\d+)?$`,
);
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const PAIR = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the one sample with this name whose labels include these (0 when there is none). */
  value(name: string, labels?: Record<string, string>): number;
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count', '_created']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === 'histogram' || type === 'summary') return base;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line.slice(0, 200))}`;
    if (line === '') return;
    let match = HELP.exec(line);
    if (match) {
      if (helped.has(match[1])) throw new Error(`second HELP for ${match[1]} at ${where}`);
      helped.add(match[1]);
      return;
    }
    match = TYPE.exec(line);
    if (match) {
      if (types.has(match[1])) throw new Error(`second TYPE for ${match[1]} at ${where}`);
      types.set(match[1], match[2]);
      return;
    }
    if (line.startsWith('#')) throw new Error(`a comment that is neither HELP nor TYPE at ${where}`);
    match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample at ${where}`);
    const [, name, labelText = '', valueText] = match;
    if (!familyOf(name, types)) throw new Error(`a sample before its TYPE at ${where}`);
    const labels: Record<string, string> = {};
    for (const [, label, quoted] of labelText.matchAll(PAIR)) {
      if (label in labels) throw new Error(`label ${label} twice at ${where}`);
      labels[label] = quoted.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`the same series twice at ${where}`);
    seen.add(key);
    const lower = valueText.toLowerCase();
    const value =
      lower === 'nan' ? NaN : /inf$/.test(lower) ? (lower.startsWith('-') ? -Infinity : Infinity) : Number(valueText);
    samples.push({ name, labels, value });
  });
  return {
    types,
    samples,
    value(name, wanted = {}) {
      const found = samples.filter(
        (s) => s.name === name && Object.entries(wanted).every(([label, value]) => s.labels[label] === value),
      );
      if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(wanted)}`);
      return found[0]?.value ?? 0;
    },
  };
}
