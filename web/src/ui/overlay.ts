/**
 * Vant makes a sheet's overlay a button (a tap closes the sheet) without a name; this gives it
 * one. Vant's types list only its own props, but the attribute reaches the element.
 */
export const namedOverlay = (name: string): object => ({ 'aria-label': name });
