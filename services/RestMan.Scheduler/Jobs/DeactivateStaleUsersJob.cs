using Microsoft.Extensions.Options;
using RestMan.Scheduler.Infrastructure;
using RestMan.Scheduler.Services;

namespace RestMan.Scheduler.Jobs;

/// <summary>
/// The 2-hour rule: once per <see cref="SchedulerOptions.Interval"/>, asks Auth to deactivate customer accounts
/// last verified more than <see cref="SchedulerOptions.InactiveAfter"/> ago. Time is cut into slots aligned on the
/// interval; every instance wakes at each slot's start but only the one that claims the slot calls Auth.
/// </summary>
public sealed class DeactivateStaleUsersJob(
    JobRunRepository runs,
    AuthClient auth,
    IOptions<SchedulerOptions> options,
    TimeProvider clock,
    ILogger<DeactivateStaleUsersJob> logger) : BackgroundService
{
    public const string JobName = "deactivate-stale-users";

    // Bounds one slot's work; a backlog bigger than this is finished by the next slots.
    private const int MaxCallsPerSlot = 100;

    private readonly SchedulerOptions _options = options.Value;
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var slot = SlotOf(clock.GetUtcNow(), _options.Interval);
            try
            {
                await RunSlotAsync(slot, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or Auth is down: the next slot tries again, with a cutoff that covers what this one missed.
                logger.LogError(ex, "Job {Job} failed for slot {Slot}", JobName, slot);
            }

            var untilNextSlot = slot + _options.Interval - clock.GetUtcNow();
            if (untilNextSlot > TimeSpan.Zero)
                await Task.Delay(untilNextSlot, clock, stoppingToken);
        }
    }

    public static DateTimeOffset SlotOf(DateTimeOffset now, TimeSpan interval)
    {
        var ticks = now.UtcTicks;
        return new DateTimeOffset(ticks - ticks % interval.Ticks, TimeSpan.Zero);
    }

    private async Task RunSlotAsync(DateTimeOffset slot, CancellationToken ct)
    {
        if (!await runs.TryClaimAsync(JobName, slot, _instance, clock.GetUtcNow(), ct))
        {
            logger.LogDebug("Slot {Slot} of {Job} is run by another instance", slot, JobName);
            return;
        }

        var cutoff = clock.GetUtcNow() - _options.InactiveAfter;
        long deactivated = 0;
        string? error = null;
        try
        {
            for (var call = 0; call < MaxCallsPerSlot; call++)
            {
                var result = await auth.DeactivateStaleAsync(cutoff, ct);
                deactivated += result.Deactivated.Count;
                if (!result.HasMore) break;
            }
            if (deactivated > 0)
                logger.LogInformation("Deactivated {Count} customer accounts last verified before {Cutoff}", deactivated, cutoff);
        }
        catch (Exception ex) when (Outages.IsUnanswered(ex, ct))
        {
            error = ex.Message;
            logger.LogWarning("Auth could not deactivate stale accounts in slot {Slot}; the next slot retries: {Error}", slot, ex.Message);
        }

        await runs.CompleteAsync(JobName, slot, deactivated, error, clock.GetUtcNow(), ct);
        await runs.PruneAsync(JobName, slot - _options.JobRunRetention, ct);
    }
}
