using ScottPlot;
using SkiaSharp;

namespace Atlas.Bot.Stats;

/// <summary>
/// The chart's one font, DejaVu Sans, embedded in the assembly: the runtime container has no system fonts, and without
/// one SkiaSharp draws no text at all (no axis labels, no legend). It covers Latin (with ə), Cyrillic and digits.
/// Licence: Stats/Fonts/LICENSE-DejaVu.txt (Bitstream Vera licence; DejaVu changes are in the public domain).
/// </summary>
public sealed class ChartFont : IFontResolver
{
    public const string Family = "Atlas DejaVu Sans";
    private const string Resource = "Atlas.Bot.Stats.DejaVuSans.ttf";

    private static readonly Lazy<SKData> Data = new(Load);
    private static readonly Lazy<bool> Registered = new(() =>
    {
        // ScottPlot resolves font names through a process-wide list; adding ours once makes Family resolvable everywhere.
        Fonts.FontResolvers.Add(new ChartFont());
        return true;
    });

    private ChartFont()
    {
    }

    /// <summary>Makes <see cref="Family"/> known to ScottPlot; safe to call from any thread, any number of times.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        CreateTypeface(fontName, bold: false, italic: false);

    // One face serves every style asked for: a bold title in the regular face beats no title.
    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        fontName == Family ? SKTypeface.FromData(Data.Value) : null;

    private static SKData Load()
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The assembly lacks its embedded font {Resource}.");
        return SKData.Create(stream);
    }
}
