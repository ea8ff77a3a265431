using Microsoft.Extensions.Options;
using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.IntegrationEvents.EventHandling;

/// <summary>
/// A placed order gets its PENDING bill with its lines, at the restaurant's tax rate and service charge (the configured
/// tax rate when the owner set none), announced as <c>bill.generated</c>; one per order, however often the event comes.
/// </summary>
public sealed class OrderPlacedHandler(
    BillRepository bills, SplitRepository split, DiscountRepository charges, IOptions<BillingOptions> options, ILogger<OrderPlacedHandler> logger)
    : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced integrationEvent, EventContext context, CancellationToken ct)
    {
        var rates = await charges.FindChargesAsync(context.Tx, integrationEvent.RestaurantId, ct)
            ?? new RestaurantCharges(options.Value.TaxRate, 0m, null);
        var terms = new BillTerms(rates.TaxRate, rates.ServiceChargeRate, rates.ServiceChargeMinCovers, integrationEvent.Covers);
        var amounts = BillCalculator.Compute(integrationEvent.TotalPrice, terms);
        var bill = new Bill(Guid.NewGuid(), integrationEvent.OrderId, integrationEvent.UserId, integrationEvent.RestaurantId,
            amounts.Subtotal, rates.TaxRate, amounts.TaxAmount, amounts.DiscountAmount, amounts.TotalAmount, BillStatus.Pending,
            null, context.Tx.Clock.GetUtcNow(), null, null)
        {
            OrderNumber = integrationEvent.OrderNumber,
            Covers = integrationEvent.Covers,
            ServiceChargeRate = rates.ServiceChargeRate,
            ServiceChargeMinCovers = rates.ServiceChargeMinCovers,
            ServiceChargeAmount = amounts.ServiceCharge,
        };
        if (!await bills.InsertAsync(context.Tx, bill, ct))
        {
            logger.LogInformation("Order {OrderId} already has its bill", bill.OrderId);
            return;
        }
        // The order's lines are numbered from 1 in the order they came (Orders numbers them so too).
        await split.AddLinesAsync(context.Tx, bill.OrderId,
            integrationEvent.Items.Select((item, i) =>
                BillLine.From(i + 1, item.FoodId, item.FoodName, item.Quantity, item.UnitPrice, item.LineTotal, item.Options, item.Note)), ct);

        context.Tx.Publish(new BillGenerated(bill.Id, bill.OrderId, bill.UserId,
            bill.RestaurantId, bill.Subtotal, bill.TaxAmount, bill.DiscountAmount, bill.TotalAmount, bill.GeneratedAt));
        logger.LogInformation("Bill {BillId} generated for order {OrderId}: {Total}", bill.Id, bill.OrderId, bill.TotalAmount);
    }
}
