import { Subscription } from '../subscriptions/subscription.entity';
import { Customer } from './customer.entity';
import { ResellerRelationship } from './reseller-relationship.entity';

/**
 * Every entity of customers, reseller relationships (with delegated admin privileges) and
 * subscriptions; spread into the app's entity list (`database/entities.ts`).
 */
export const CUSTOMER_ENTITIES = [Customer, ResellerRelationship, Subscription];
