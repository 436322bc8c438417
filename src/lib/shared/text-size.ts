/** The page's text sizes: the normal one, and a larger one for those who read small print badly. */
export const TEXT_SIZES = ['normal', 'large'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

/** The cookie that keeps the choice on this device, for every page. */
export const TEXT_SIZE_COOKIE = 'tj_text_size';

export const isTextSize = (value: unknown): value is TextSize => TEXT_SIZES.includes(value as TextSize);

/** The size a cookie value asks for; anything else is the normal size. */
export const textSizeOf = (value: string | undefined): TextSize => (isTextSize(value) ? value : 'normal');
