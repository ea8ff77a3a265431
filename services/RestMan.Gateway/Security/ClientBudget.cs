using System.Threading.RateLimiting;

namespace RestMan.Gateway.Security;

/// <summary>
/// One client's fixed-window budget as seen by one gateway: permits are taken from the shared counter in blocks and spent
/// here without a round trip. A new client's first block is one permit, each further block in the window twice the last,
/// up to <see cref="MaxBlock"/>; a block the counter could only partly fill means the budget is spent until the window
/// ends. Permits still in stock when the window ends are lost (at most gateways × block − 1), never carried over, so
/// the gateways together never let a client exceed its budget. While the shared counter fails this gateway counts alone.
/// </summary>
public sealed class ClientBudget : RateLimiter
{
    /// <summary>How long a gateway counts alone after the shared counter failed, before it asks it again.</summary>
    public static readonly TimeSpan CountAloneFor = TimeSpan.FromSeconds(5);

    private readonly string _client;
    private readonly int _permits;
    private readonly TimeSpan _window;
    private readonly IBudgetCounter? _shared;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private IBudgetCounter? _alone;

    // Guarded by _gate.
    private int _stock;
    private long _windowEnds;  // timestamp; 0 = no window known
    private bool _spent;       // the counter has nothing left until _windowEnds
    private int _block = 1;
    private Task? _refill;     // the one take in flight; every waiting request awaits it
    private long _idleSince;
    private long _sharedAgainAt;
    private long _successful;
    private long _failed;

    public ClientBudget(string client, int permits, TimeSpan window, IBudgetCounter? shared, TimeProvider clock, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        _client = client;
        _permits = permits;
        _window = window;
        _shared = shared;
        _clock = clock;
        _logger = logger;
        MaxBlock = MaxBlockFor(permits);
        _idleSince = clock.GetTimestamp();
    }

    /// <summary>The largest block a gateway takes at once: a fiftieth of the budget (at least one).</summary>
    public static int MaxBlockFor(int permits) => Math.Max(1, permits / 50);

    public int MaxBlock { get; }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate) return _refill is null ? _clock.GetElapsedTime(_idleSince) : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _stock, CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful, TotalFailedLeases = _failed,
            };
    }

    // Spending from stock needs no round trip, so the middleware's synchronous attempt usually succeeds.
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate) return TrySpend(permitCount) ?? Lease.NotYet;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task refill;
            lock (_gate)
            {
                if (TrySpend(permitCount) is { } lease) return lease;
                refill = _refill ??= RefillAsync(Math.Max(_block, permitCount));
            }
            await refill.WaitAsync(cancellationToken);
            lock (_gate)
                if (ReferenceEquals(_refill, refill)) _refill = null;
        }
    }

    /// <summary>A lease from stock, a refusal when the window's budget is spent, or null when a block must be taken first.</summary>
    private RateLimitLease? TrySpend(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permits);
        var now = _clock.GetTimestamp();
        if (_windowEnds != 0 && now >= _windowEnds)
        {
            // A new window: what was left in stock belonged to the old one.
            _stock = 0;
            _spent = false;
            _block = 1;
            _windowEnds = 0;
        }
        if (_stock >= permitCount)
        {
            _stock -= permitCount;
            _idleSince = now;
            _successful++;
            return Lease.Acquired;
        }
        if (!_spent) return null;
        _failed++;
        return new Lease(_clock.GetElapsedTime(now, _windowEnds));
    }

    private async Task RefillAsync(int block)
    {
        var asked = _clock.GetTimestamp();
        BudgetGrant grant;
        try
        {
            grant = await TakeAsync(block, asked);
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Shared rate limit unavailable, counting on this gateway alone for {Seconds} s: {Error}", CountAloneFor.TotalSeconds, ex.Message);
            lock (_gate) _sharedAgainAt = asked + (long)(CountAloneFor.TotalSeconds * _clock.TimestampFrequency);
            grant = await Alone.TakeAsync(_client, block, _permits, _window);
        }
        lock (_gate)
        {
            // Measured from before the ask, so this gateway's window never outlasts the counter's.
            var ends = asked + (long)(grant.WindowLeft.TotalSeconds * _clock.TimestampFrequency);
            var sameWindow = _windowEnds != 0 && Math.Abs(ends - _windowEnds) < (long)(_window.TotalSeconds * _clock.TimestampFrequency / 2);
            if (!sameWindow) _stock = 0;
            _windowEnds = sameWindow ? Math.Min(_windowEnds, ends) : ends;
            _stock += grant.Permits;
            // Fewer than asked: the counter is at the budget, nothing more until the window ends.
            _spent = grant.Permits < block;
            _block = Math.Min(block * 2, MaxBlock);
        }
    }

    private ValueTask<BudgetGrant> TakeAsync(int block, long now)
    {
        bool shared;
        lock (_gate) shared = _shared is not null && now >= _sharedAgainAt;
        return shared ? _shared!.TakeAsync(_client, block, _permits, _window) : Alone.TakeAsync(_client, block, _permits, _window);
    }

    private IBudgetCounter Alone => LazyInitializer.EnsureInitialized(ref _alone, () => new LocalBudgetCounter(_clock));

    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(null);
        public static readonly Lease NotYet = new(TimeSpan.Zero);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
