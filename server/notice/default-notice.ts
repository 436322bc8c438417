/**
 * The built-in rights and duties notice (当事人权利义务告知书), after the People's Mediation Law
 * (2010) and the 2002 Rules on People's Mediation Work: a committee that has not written its own
 * uses it as its version 1. The Chinese text is the text of record; the English renders it.
 */
export const DEFAULT_NOTICE = {
	/** When this text was written: the date its version 1 shows. */
	date: new Date('2026-12-06T12:00:00+08:00'),
	bodyZh: `人民调解是人民调解委员会通过说服、疏导等方法，促使当事人在平等协商基础上自愿达成调解协议，解决民间纠纷的活动。人民调解不收取任何费用。

人民调解遵循自愿、平等的原则，不违背法律、法规和国家政策，尊重当事人的权利，不因调解而阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利。一方当事人明确拒绝调解的，不得调解。

经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认；经确认有效的，一方拒绝履行或者未全部履行的，对方当事人可以向人民法院申请强制执行。

在人民调解活动中，当事人享有下列权利：
（一）选择或者接受人民调解员；
（二）接受调解、拒绝调解或者要求终止调解；
（三）要求调解公开进行或者不公开进行；涉及当事人隐私、商业秘密或者当事人表示反对的，调解不公开进行；
（四）自主表达意愿、自愿达成调解协议；
（五）不愿调解或者调解不成的，依法通过仲裁、行政、司法等途径维护自己的权利。

在人民调解活动中，当事人履行下列义务：
（一）如实陈述纠纷事实，不得提供虚假证明材料；
（二）遵守调解现场秩序，尊重人民调解员和对方当事人；
（三）自觉履行达成的调解协议。

请您在调解开始前阅读本告知书，确认已知悉上述权利和义务，并选择是否同意公开调解。`,
	bodyEn: `People's mediation is the work of a people's mediation committee helping the parties to a civil dispute, by persuasion and guidance, to reach a mediation agreement of their own free will on an equal footing. People's mediation is free of charge.

Mediation is voluntary and equal. It keeps to the law, regulations and state policy, respects the parties' rights, and never stops a party from seeking arbitration, administrative or judicial remedies. If a party clearly refuses mediation, there is no mediation.

An agreement reached through a people's mediation committee is legally binding and the parties shall perform it as agreed. Within thirty days of the agreement taking effect the parties may jointly apply to the people's court for judicial confirmation; once confirmed, if one party refuses to perform it in whole or in part, the other may apply to the court for enforcement.

In people's mediation, the parties have the right to:
(1) choose or accept the people's mediators;
(2) accept mediation, refuse it, or ask to end it;
(3) ask for the mediation to be held in public or in private; it is held in private where privacy or business secrets are involved or a party objects;
(4) express their wishes freely and reach an agreement of their own free will;
(5) where they do not wish to mediate or mediation fails, seek arbitration, administrative or judicial remedies according to law.

In people's mediation, the parties have the duty to:
(1) state the facts of the dispute truthfully and provide no false evidence;
(2) keep order at the mediation and respect the mediators and the other party;
(3) perform the agreement they reach.

Please read this notice before the mediation begins, confirm that you know these rights and duties, and say whether you agree to a public session.`
} as const;
