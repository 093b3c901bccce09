export * from './lex.ts';
export * from './parse.ts';
export * from './functions.ts';
export * from './rules.ts';
