export * from './email-rendering.module';
export * from './email-renderer.service';
export * from './template-catalog';
export * from './handlebars-helpers';
