import { describe, expect, test } from 'vitest';
import { describeDevice } from './describe-device.ts';

/** Headers as those browsers send them, and what the signing certificate prints for each. */
const SEEN: [string, string, string][] = [
	[
		'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN',
		'微信 / iOS',
		'WeChat / iOS'
	],
	[
		'Mozilla/5.0 (Linux; Android 13; V2219A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64',
		'微信 / Android',
		'WeChat / Android'
	],
	[
		'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
		'企业微信 / Windows',
		'WeCom / Windows'
	],
	[
		'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
		'Chrome / Android',
		'Chrome / Android'
	],
	[
		'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
		'Safari / iOS',
		'Safari / iOS'
	],
	[
		'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
		'Chrome / iOS',
		'Chrome / iOS'
	],
	[
		'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
		'Safari / macOS',
		'Safari / macOS'
	],
	[
		'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
		'Edge / Windows',
		'Edge / Windows'
	],
	['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox / Linux', 'Firefox / Linux'],
	[
		'Mozilla/5.0 (Linux; U; Android 12; zh-CN; V2163A Build/SP1A.210812.003) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/16.6.2.1291 Mobile Safari/537.36',
		'UC浏览器 / Android',
		'UC Browser / Android'
	],
	[
		'Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36',
		'华为浏览器 / 鸿蒙',
		'Huawei Browser / HarmonyOS'
	],
	[
		'Mozilla/5.0 (Linux; Android 10; SM-G981B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
		'三星浏览器 / Android',
		'Samsung Internet / Android'
	],
	[
		'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 DingTalk/7.0.40 Channel/201200',
		'钉钉 / iOS',
		'DingTalk / iOS'
	],
	// Half-known: only what is recognised is named.
	['Mozilla/5.0 (Windows NT 10.0; Win64; x64) SomeNewBrowser/1.0', 'Windows', 'Windows'],
	['curl/8.5.0', '', ''],
	['', '', '']
];

describe('describeDevice', () => {
	test.each(SEEN)('%s', (userAgent, chinese, english) => {
		expect(describeDevice(userAgent, 'zh-CN')).toBe(chinese);
		expect(describeDevice(userAgent, 'en')).toBe(english);
	});

	test('a crafted header contributes none of its own words', () => {
		const crafted = 'THIS AGREEMENT IS VOID – verify at http://evil.example (iPhone) Chrome/1';
		expect(describeDevice(crafted, 'zh-CN')).toBe('Chrome / iOS');
		expect(describeDevice(null, 'zh-CN')).toBe('');
	});
});
