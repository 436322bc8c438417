import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { PerformanceItemKind } from '#shared/performance.ts';
import type { Actor } from '#shared/roles.ts';
import type { App } from '../app.ts';
import { issuePartyLink } from '../cases/issue-party-link.ts';
import { caseParties } from '../db/schema.ts';
import { addPerformanceItem } from '../performance/add-performance-item.ts';
import { movePerformanceItem } from '../performance/move-performance-item.ts';
import { reportPerformanceItem } from '../performance/report-performance-item.ts';

/**
 * One item of a demo case's performance plan, and how far it got: reported by its party from
 * their link with a photo of a receipt, then confirmed by the mediator (or, confirmed directly,
 * paid in the office; or waived).
 */
export type DemoPerformanceItem = {
	kind: PerformanceItemKind;
	description: string;
	/** Yuan, as the form takes it; payments only. */
	amount?: string;
	/** Days from today; a plan's items fall due on or after the day the case was filed. */
	dueInDays: number;
	place: string;
	/** The name of the party who owes it. */
	responsible: string;
	done?: 'reported' | 'confirmed' | 'confirmed_in_office' | 'waived';
};

/** A stand-in for a photographed receipt: a JPEG of a slip with ruled lines and a red stamp. */
async function demoReceipt(): Promise<File> {
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800">
		<rect width="600" height="800" fill="#f4efe4"/>
		${Array.from({ length: 12 }, (_, i) => `<line x1="60" x2="540" y1="${160 + i * 45}" y2="${160 + i * 45}" stroke="#b9ad98" stroke-width="2"/>`).join('')}
		<circle cx="440" cy="640" r="70" fill="none" stroke="#c0392b" stroke-width="8"/>
	</svg>`;
	const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
	return new File([new Uint8Array(jpeg)], '收条.jpg', { type: 'image/jpeg' });
}

const dayIn = (days: number) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));

/**
 * Gives a demo case that has its sealed or oral agreement a performance plan, through the same
 * services the pages use: the mediator (one of the case's) adds the items, parties report theirs
 * with a receipt photo, the mediator confirms or waives. A plan whose items all end confirmed or
 * waived is performed (履行完毕), and its proof is bound in the case file when the case closes.
 */
export async function seedPerformance(
	app: App,
	caseId: string,
	mediator: Actor,
	items: DemoPerformanceItem[]
): Promise<void> {
	const links = new Map<string, string>();
	const linkOf = async (partyId: string) => {
		if (!links.has(partyId)) links.set(partyId, await issuePartyLink(app, mediator, { caseId, partyId }, null));
		return links.get(partyId)!;
	};
	// The whole plan first, as a mediator enters it, then what each party and the mediator did.
	const added = [];
	for (const item of items) {
		const [party] = await app.db
			.select({ id: caseParties.id })
			.from(caseParties)
			.where(and(eq(caseParties.caseId, caseId), eq(caseParties.name, item.responsible)));
		const { itemId } = await addPerformanceItem(
			app,
			mediator,
			{
				caseId,
				kind: item.kind,
				description: item.description,
				amount: item.amount,
				dueOn: dayIn(item.dueInDays),
				place: item.place,
				responsiblePartyId: party.id
			},
			null
		);
		added.push({ ...item, itemId, partyId: party.id });
	}
	for (const { done, itemId, partyId } of added) {
		if (done === 'reported' || done === 'confirmed')
			await reportPerformanceItem(app, await linkOf(partyId), { itemId }, [await demoReceipt()], null);
		if (done === 'confirmed' || done === 'confirmed_in_office')
			await movePerformanceItem(app, mediator, { caseId, itemId, move: 'confirm' }, null);
		if (done === 'waived')
			await movePerformanceItem(
				app,
				mediator,
				{ caseId, itemId, move: 'waive', reason: '双方当事人协商一致免除' },
				null
			);
	}
}
