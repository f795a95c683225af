import DecimalJs from 'decimal.js';

/** Decimal arithmetic for every quantity and amount; JS numbers never carry stock or money. */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO = new Decimal(0);

export const dec = (v: DecimalJs.Value) => new Decimal(v);

/** Money is rounded to cents, half away from zero. */
export const toMoney = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
/** Unit costs keep six places. */
export const toUnitCost = (d: Decimal) => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
/** Quantities keep three places. */
export const toQty = (d: Decimal) => d.toDecimalPlaces(3, Decimal.ROUND_HALF_UP);

/** Plain notation without trailing zeros: "12.5", "0.333333", "3". */
export const fmt = (d: Decimal) => d.toFixed();
/** Money always shows its cents: "30.00". */
export const fmtMoney = (d: Decimal) => toMoney(d).toFixed(2);

export const sum = (values: Decimal[]) => values.reduce((a, b) => a.plus(b), ZERO);
