import type { DocumentLanguage } from '../pdf/document-pdf-input.ts';

type Known = { pattern: RegExp; name: Record<DocumentLanguage, string> };
const named = (pattern: RegExp, zh: string, en = zh): Known => ({ pattern, name: { 'zh-CN': zh, en } });

/**
 * Browsers and apps people sign in, most specific first: the browsers inside WeChat and the other
 * apps call themselves Chrome or Safari too, and WeCom calls itself WeChat.
 */
const BROWSERS: readonly Known[] = [
	named(/\bwxwork\//i, '企业微信', 'WeCom'),
	named(/\bMicroMessenger\//i, '微信', 'WeChat'),
	named(/\bDingTalk\//i, '钉钉', 'DingTalk'),
	named(/\bAlipayClient\//i, '支付宝', 'Alipay'),
	named(/\bQQ\/\d/, 'QQ'),
	named(/\bM?QQBrowser\//i, 'QQ浏览器', 'QQ Browser'),
	named(/\bUCBrowser\//i, 'UC浏览器', 'UC Browser'),
	named(/\bQuark\//i, '夸克', 'Quark'),
	named(/\bHuaweiBrowser\//i, '华为浏览器', 'Huawei Browser'),
	named(/\bMiuiBrowser\//i, '小米浏览器', 'Mi Browser'),
	named(/\bSamsungBrowser\//i, '三星浏览器', 'Samsung Internet'),
	named(/\bEdg(?:e|A|iOS)?\//, 'Edge'),
	named(/\b(?:OPR|Opera)\//, 'Opera'),
	named(/\b(?:Firefox|FxiOS)\//, 'Firefox'),
	named(/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'),
	named(/\bSafari\//, 'Safari')
];

/** Systems, most specific first: iOS says "like Mac OS X", Android and HarmonyOS say Linux. */
const SYSTEMS: readonly Known[] = [
	named(/\b(?:OpenHarmony|HarmonyOS)\b/i, '鸿蒙', 'HarmonyOS'),
	named(/\bAndroid\b/i, 'Android'),
	named(/\b(?:iPhone|iPad|iPod)\b/, 'iOS'),
	named(/\bMac OS X\b|\bMacintosh\b/, 'macOS'),
	named(/\bWindows\b/, 'Windows'),
	named(/\bCrOS\b/, 'ChromeOS'),
	named(/\bLinux\b/, 'Linux')
];

/**
 * A signer's browser and system as the signing certificate names them ("微信 / iOS"): names from
 * the lists above only, never the header's own words, which the signer's client chose. Empty
 * when nothing is recognised; the full header stays in the case's audit log.
 */
export function describeDevice(userAgent: string | null, language: DocumentLanguage): string {
	if (!userAgent) return '';
	return [BROWSERS, SYSTEMS]
		.map((known) => known.find(({ pattern }) => pattern.test(userAgent))?.name[language])
		.filter((name) => name !== undefined)
		.join(' / ');
}
