/**
 * A credential read from the environment, or a PIN on its way to its message. It prints as `[secret]` wherever it goes (a log line,
 * JSON, an error's message, a page's data), and gives its value only to `reveal()`, which the
 * request signers call.
 */
export class Secret {
	readonly #value: string;
	constructor(value: string) {
		this.#value = value;
	}
	reveal(): string {
		return this.#value;
	}
	toJSON(): string {
		return '[secret]';
	}
	toString(): string {
		return '[secret]';
	}
	[Symbol.for('nodejs.util.inspect.custom')](): string {
		return '[secret]';
	}
}
