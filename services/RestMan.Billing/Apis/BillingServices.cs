using RestMan.Billing.Infrastructure;
using RestMan.Data;
using RestMan.Identity.Ownership;

namespace RestMan.Billing.Apis;

/// <summary>What the Billing endpoints need, bound with [AsParameters].</summary>
public sealed class BillingServices(
    Database database,
    BillRepository bills,
    PaymentRepository payments,
    SplitRepository split,
    DiscountRepository discounts,
    RefundRepository refunds,
    RestaurantScope scope,
    ILogger<BillingServices> logger)
{
    public Database Database { get; } = database;
    public BillRepository Bills { get; } = bills;
    public PaymentRepository Payments { get; } = payments;
    public SplitRepository Split { get; } = split;
    public DiscountRepository Discounts { get; } = discounts;
    public RefundRepository Refunds { get; } = refunds;
    public RestaurantScope Scope { get; } = scope;
    public ILogger<BillingServices> Logger { get; } = logger;
}
