using Microsoft.Extensions.Options;
using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.IntegrationEvents.EventHandling;

/// <summary>A placed order gets its PENDING bill, announced as <c>bill.generated</c>; one per order, however often the event comes.</summary>
public sealed class OrderPlacedHandler(
    BillRepository bills, IOptions<BillingOptions> options, ILogger<OrderPlacedHandler> logger)
    : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced integrationEvent, EventContext context, CancellationToken ct)
    {
        var taxRate = options.Value.TaxRate;
        var amounts = BillCalculator.Compute(integrationEvent.TotalPrice, taxRate, discount: 0m);
        var bill = new Bill(Guid.NewGuid(), integrationEvent.OrderId, integrationEvent.UserId, integrationEvent.RestaurantId,
            amounts.Subtotal, taxRate, amounts.TaxAmount, amounts.DiscountAmount, amounts.TotalAmount, BillStatus.Pending,
            null, context.Tx.Clock.GetUtcNow(), null, null) { OrderNumber = integrationEvent.OrderNumber };
        if (!await bills.InsertAsync(context.Tx, bill, ct))
        {
            logger.LogInformation("Order {OrderId} already has its bill", bill.OrderId);
            return;
        }

        context.Tx.Publish(new BillGenerated(bill.Id, bill.OrderId, bill.UserId,
            bill.RestaurantId, bill.Subtotal, bill.TaxAmount, bill.DiscountAmount, bill.TotalAmount, bill.GeneratedAt));
        logger.LogInformation("Bill {BillId} generated for order {OrderId}: {Total}", bill.Id, bill.OrderId, bill.TotalAmount);
    }
}
