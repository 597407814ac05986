import { readFileSync } from 'node:fs';
import { nfc } from '@hub/vietnamese';
import { type ProvinceId, provinceByCode, provinceMerger2025 } from './provinces.js';

/** Stable identifier of a commune-level unit, made from its official code. */
export type CommuneId = `commune-${string}`;

/** xã (rural commune), phường (urban ward) or đặc khu (special zone: every one an island). */
export type CommuneKind = 'COMMUNE' | 'WARD' | 'SPECIAL_ZONE';

export interface CommuneUnit {
  readonly id: CommuneId;
  /** The official five-digit code (Decision 19/2025/QĐ-TTg). */
  readonly code: string;
  /** Official full name, NFC: "Phường Ba Đình", "Đặc khu Trường Sa". */
  readonly name: string;
  /** The name without its "Xã", "Phường" or "Đặc khu": "Ba Đình", "Trường Sa". */
  readonly shortName: string;
  /** "Ba Dinh Ward", "Truong Sa Special Zone". */
  readonly nameEn: string;
  readonly kind: CommuneKind;
  /** The provincial unit it lies in, as constituted on 1 July 2025. */
  readonly provinceId: ProvinceId;
  readonly provinceCode: string;
  readonly island: boolean;
}

interface CommuneFile {
  readonly effectiveFrom: string;
  readonly provinces: readonly {
    readonly code: string;
    readonly name: string;
    readonly units: readonly { readonly code: string; readonly name: string; readonly kind: CommuneKind }[];
  }[];
}

/**
 * The two-tier local government began on 1 July 2025 (Resolution 202/2025/QH15 with the Law on
 * the Organization of Local Government 2025); the commune-level units are described from then on.
 */
export const communesEffective = provinceMerger2025.effective;

const PREFIX: Readonly<Record<CommuneKind, { readonly vi: string; readonly en: string }>> = {
  COMMUNE: { vi: 'Xã ', en: 'Commune' },
  WARD: { vi: 'Phường ', en: 'Ward' },
  SPECIAL_ZONE: { vi: 'Đặc khu ', en: 'Special Zone' },
};

// Folded, but keeping the letters' case, for an English name: "Bát Xát" → "Bat Xat".
const withoutDiacritics = (s: string): string =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gu, 'd').replace(/Đ/gu, 'D');

const FIVE_DIGITS = /^\d{5}$/u;

function load(): CommuneUnit[] {
  const file = JSON.parse(
    readFileSync(new URL('../data/vn-communes-2025.json', import.meta.url), 'utf8'),
  ) as CommuneFile;
  if (Date.parse(`${file.effectiveFrom}T00:00:00+07:00`) !== Date.parse(communesEffective)) {
    throw new Error(`vn-communes-2025.json describes ${file.effectiveFrom}, not ${communesEffective}`);
  }
  const units: CommuneUnit[] = [];
  for (const province of file.provinces) {
    const unit = provinceByCode(province.code, communesEffective);
    if (!unit) throw new Error(`vn-communes-2025.json names province code ${province.code}, unknown since 2025-07-01`);
    for (const commune of province.units) {
      if (!FIVE_DIGITS.test(commune.code)) throw new Error(`commune code ${commune.code} is not five digits`);
      const name = nfc(commune.name);
      const prefix = PREFIX[commune.kind];
      if (!prefix) throw new Error(`commune ${commune.code} has unknown kind ${String(commune.kind)}`);
      const shortName = name.startsWith(prefix.vi) ? name.slice(prefix.vi.length) : name;
      units.push({
        id: `commune-${commune.code}`,
        code: commune.code,
        name,
        shortName,
        nameEn: `${withoutDiacritics(shortName)} ${prefix.en}`,
        kind: commune.kind,
        provinceId: unit.id,
        provinceCode: unit.code,
        island: commune.kind === 'SPECIAL_ZONE',
      });
    }
  }
  return units.sort((a, b) => a.code.localeCompare(b.code));
}

let loaded: readonly CommuneUnit[] | undefined;
let byCode: ReadonlyMap<string, CommuneUnit> | undefined;

/**
 * The 3,321 commune-level units in force since 1 July 2025 (2,611 xã, 697 phường, 13 đặc khu),
 * ordered by code. Read from data/vn-communes-2025.json on first use. Districts and the communes
 * before 2025 are not described.
 */
export const communes2025 = (): readonly CommuneUnit[] => {
  loaded ??= load();
  return loaded;
};

/** The unit with this five-digit code, or undefined. */
export const communeByCode = (code: string): CommuneUnit | undefined => {
  byCode ??= new Map(communes2025().map((unit) => [unit.code, unit]));
  return byCode.get(code.trim());
};

/** The units of one province (by its id), ordered by code. */
export const communesOfProvince = (provinceId: string): CommuneUnit[] =>
  communes2025().filter((unit) => unit.provinceId === provinceId);
