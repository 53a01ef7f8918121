//! Compaction after a bulk build: every table shrunk to its contents,
//! the order tables clustered by customer ([`crate::tables::order_clustering`]),
//! the address positions packed and the indexes built. Here, above the
//! tables and indexes, because it is the one step that touches them all.

impl crate::Engine {
    /// Readies an engine after a bulk build (every record added): clusters
    /// the order tables by customer, indexes customers by their last
    /// purchase of each line key, and gives back the spare capacity the
    /// tables grew while records were appended (a vector grown by pushing
    /// holds up to twice what it needs). Answers do not change.
    pub fn compact(&mut self) {
        self.orders.cluster_by_customer(self.customers.len());
        macro_rules! shrink {
            ($($v:expr),* $(,)?) => {$( $v.shrink_to_fit(); )*};
        }
        let o = &mut self.orders;
        shrink!(
            o.orders.customers,
            o.orders.time,
            o.orders.total,
            o.orders.refunded,
            o.orders.flags,
            o.orders.location,
            o.orders.app,
            o.orders.discount_codes,
            o.first_line,
            o.products.shape,
            o.products.quantity,
            o.products.shapes,
            o.tickets.order,
            o.tickets.performance,
            o.tickets.quantity,
            o.tickets.amount,
        );
        let a = &mut self.activity;
        shrink!(
            a.checkouts.customer,
            a.checkouts.time,
            a.email.customer,
            a.email.time,
            a.email.activity,
            a.email.machine_open,
            a.email.bounce,
            a.storefront.customer,
            a.storefront.time,
            a.storefront.item,
            a.storefront.product_views,
            a.storefront.collection_views,
            a.custom.customer,
            a.custom.time,
            a.custom.name,
            a.custom.properties,
            a.subscriptions.customer,
            a.subscriptions.plan,
            a.subscriptions.starts,
            a.subscriptions.ends,
            a.subscriptions.state,
        );
        for list in &mut a.email.by_type {
            list.shrink_to_fit();
        }
        self.customers.shrink_to_fit();
        self.locations.pack();
        for void in [
            &mut a.checkouts.void,
            &mut a.email.void,
            &mut a.storefront.void,
            &mut a.custom.void,
            &mut a.subscriptions.void,
        ] {
            crate::columns::tight_bitmap::tighten(void);
        }
        self.index_orders_by_customer();
        let mut index =
            crate::indexes::key_buckets::KeyBuckets::build(&self.orders, self.customers.len());
        index.shrink_to_fit();
        self.key_buckets = Some(index);
    }

    /// Builds the orders-by-customer index now rather than on the first
    /// query that reads a few customers' orders: over clustered tables it
    /// is one counting pass (a few milliseconds per million orders), paid
    /// once at start instead of inside a query's time.
    pub fn index_orders_by_customer(&self) {
        self.orders.by_customer(self.customers.len());
    }
}
