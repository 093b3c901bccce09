export * from './large-documents.ts';
