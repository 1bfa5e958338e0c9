using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;

namespace L1Net.Networks;

/// <summary>
/// A trained classifier as one object: the network, the preprocessing fitted on its training rows, the names of its
/// features and classes, and how it was trained. It predicts from raw feature values (the preprocessing is applied
/// inside) and is saved and loaded as one file by <see cref="Serialization.ModelSerializer"/>.
/// </summary>
/// <remarks>
/// <para>
/// The class of a row is the index of its largest network output (the first one on ties), as in
/// <see cref="Metrics.Accuracy(INetwork, Dataset)"/>; <see cref="ClassNames"/> gives its name.
/// </para>
/// <para>
/// The model keeps its own copy of the network. Prediction is thread-safe: several threads may predict with one model at
/// once. The span overloads allocate nothing per call (scratch space comes from <see cref="ArrayPool{T}.Shared"/>).
/// </para>
/// <code>
/// var model = new ClassificationModel(network, csv.FeatureNames, csv.ClassNames) { Preprocessor = scaler };
/// string species = model.PredictClassName([5.1f, 3.5f, 1.4f, 0.2f]);   // "setosa"
/// </code>
/// </remarks>
public sealed class ClassificationModel
{
    /// <summary>Rows per chunk in the batch predictions (bounds the scratch space).</summary>
    private const int ChunkRows = 256;

    private readonly DenseNetwork _network;
    private readonly string[] _featureNames;
    private readonly string[] _classNames;
    private readonly Dictionary<string, int> _classIndex;
    private readonly IPreprocessor? _preprocessor;
    private readonly string? _labelName;
    private readonly int[] _inputFeatures;
    private readonly bool _selects;

    /// <summary>Creates a model from a trained network (copied) and the names of its inputs and outputs.</summary>
    /// <param name="network">The trained network; at least 2 outputs, finite parameters. The model holds a copy.</param>
    /// <param name="featureNames">One non-empty, distinct name per network input, in input order (for example <see cref="CsvDataset.FeatureNames"/>).</param>
    /// <param name="classNames">One non-empty, distinct name per network output, in output order (for example <see cref="CsvDataset.ClassNames"/>).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A count does not match the network, a name is empty, null or repeated, the network has fewer than 2 outputs, or a parameter is not finite.</exception>
    public ClassificationModel(DenseNetwork network, IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(classNames);
        if (network.OutputSize < 2)
        {
            throw new ArgumentException(Guard.Text($"A classifier needs at least 2 outputs (one per class), but the network has {network.OutputSize}."), nameof(network));
        }

        int bad = Guard.IndexOfNonFinite(network.Parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(Guard.Text($"The network holds a non-finite parameter at index {bad}."), nameof(network));
        }

        _featureNames = CheckNames(featureNames, network.InputSize, "network inputs", nameof(featureNames));
        _inputFeatures = Enumerable.Range(0, network.InputSize).ToArray();
        _classNames = CheckNames(classNames, network.OutputSize, "network outputs", nameof(classNames));
        _classIndex = new Dictionary<string, int>(_classNames.Length, StringComparer.Ordinal);
        for (int k = 0; k < _classNames.Length; k++)
        {
            _classIndex.Add(_classNames[k], k);
        }

        _network = network.Clone();
        FeatureNames = Array.AsReadOnly(_featureNames);
        ClassNames = Array.AsReadOnly(_classNames);
        InputFeatures = Array.AsReadOnly(_inputFeatures);
    }

    /// <summary>
    /// Creates a model whose network reads only some of the features (a compact network, for example from
    /// <see cref="NetworkPruner.Prune(DenseNetwork)"/>): rows still hold every feature, and the model passes the network
    /// the columns listed in <paramref name="inputFeatures"/> (after preprocessing the whole row).
    /// </summary>
    /// <param name="network">The trained network, with one input per entry of <paramref name="inputFeatures"/>; at least 2 outputs, finite parameters. The model holds a copy.</param>
    /// <param name="featureNames">One non-empty, distinct name per feature of a row (the full row, for example <see cref="CsvDataset.FeatureNames"/>).</param>
    /// <param name="classNames">One non-empty, distinct name per network output, in output order.</param>
    /// <param name="inputFeatures">The indices into <paramref name="featureNames"/> of the features the network reads, strictly ascending, one per network input.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A count does not match the network, an index is out of range or not ascending, a name is empty, null or repeated, the network has fewer than 2 outputs, or a parameter is not finite.</exception>
    public ClassificationModel(DenseNetwork network, IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames, IReadOnlyList<int> inputFeatures)
        : this(network, CheckInputs(network, featureNames, inputFeatures), classNames)
    {
        _featureNames = CheckNames(featureNames, featureNames.Count, "features", nameof(featureNames));
        _inputFeatures = [.. inputFeatures];
        _selects = _inputFeatures.Length != _featureNames.Length;
        FeatureNames = Array.AsReadOnly(_featureNames);
        InputFeatures = Array.AsReadOnly(_inputFeatures);
    }

    /// <summary>The network (the model's own copy). Do not train or change it while the model predicts.</summary>
    public DenseNetwork Network => _network;

    /// <summary>The feature names, one per network input, in input order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>
    /// The indices into <see cref="FeatureNames"/> of the features the network reads, ascending, one per network input:
    /// every feature (<c>0, 1, ...</c>) unless the model was pruned (<see cref="Prune"/>). Rows always hold every feature.
    /// </summary>
    public IReadOnlyList<int> InputFeatures { get; }

    /// <summary>The names of the features the network reads (<see cref="InputFeatures"/>), in input order.</summary>
    public IReadOnlyList<string> InputFeatureNames => Array.AsReadOnly(Array.ConvertAll(_inputFeatures, i => _featureNames[i]));

    /// <summary>The class names, one per network output, in output order: class <c>k</c> is <c>ClassNames[k]</c>.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of features per row (every feature, including those a pruned network no longer reads).</summary>
    public int FeatureCount => _featureNames.Length;

    /// <summary>Number of classes (the network's outputs).</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>
    /// The preprocessing fitted on the training rows and applied to every row before the network, or null when the network
    /// takes the raw features. Must be fitted, with <see cref="FeatureCount"/> features. Default null.
    /// </summary>
    /// <exception cref="ArgumentException">The step is not fitted or has another feature count.</exception>
    public IPreprocessor? Preprocessor
    {
        get => _preprocessor;
        init
        {
            if (value is not null && (!value.IsFitted || value.FeatureCount != FeatureCount))
            {
                throw new ArgumentException(value.IsFitted
                    ? Guard.Text($"The preprocessor takes {value.FeatureCount} features, but the model has {FeatureCount}.")
                    : "The preprocessor is not fitted: pass the step returned by Fit(trainingRows).", nameof(Preprocessor));
            }

            _preprocessor = value;
        }
    }

    /// <summary>The name of the class-label column in the training data (for example <c>species</c>), or null when unknown. Default null.</summary>
    /// <exception cref="ArgumentException">The name is empty or white space.</exception>
    public string? LabelName
    {
        get => _labelName;
        init => _labelName = value is null || !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("'LabelName' must be null or a non-empty name.", nameof(LabelName));
    }

    /// <summary>How the model was trained, or null when unknown (for example a model loaded from a version 1 file). Default null.</summary>
    public ModelProvenance? Provenance { get; init; }

    /// <summary>The index of a class name.</summary>
    /// <param name="className">The name, compared ordinally (case-sensitive).</param>
    /// <returns>The class index.</returns>
    /// <exception cref="ArgumentException">The model has no such class; the message lists the classes it has.</exception>
    public int GetClassIndex(string className)
    {
        ArgumentNullException.ThrowIfNull(className);
        return _classIndex.TryGetValue(className, out int k)
            ? k
            : throw new ArgumentException(Guard.Text($"The model has no class {MessageText.Quote(className)}; its classes are {DescribeClasses()}."), nameof(className));
    }

    /// <summary>Looks up the index of a class name.</summary>
    /// <param name="className">The name, compared ordinally.</param>
    /// <param name="classIndex">The index, or -1.</param>
    /// <returns>Whether the model has the class.</returns>
    public bool TryGetClassIndex(string className, out int classIndex)
    {
        ArgumentNullException.ThrowIfNull(className);
        if (_classIndex.TryGetValue(className, out classIndex))
        {
            return true;
        }

        classIndex = -1;
        return false;
    }

    /// <summary>Predicts the class of one row of raw feature values.</summary>
    /// <param name="features">One row: <see cref="FeatureCount"/> finite values, before preprocessing.</param>
    /// <returns>The class index; <c>ClassNames[index]</c> is its name.</returns>
    /// <exception cref="ArgumentException">The row has the wrong length or a non-finite value.</exception>
    public int PredictClass(ReadOnlySpan<float> features)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(ClassCount);
        try
        {
            return PredictClass(features, rented.AsSpan(0, ClassCount));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Predicts the class of one row and writes the class probabilities (the network's outputs).</summary>
    /// <param name="features">One row: <see cref="FeatureCount"/> finite values, before preprocessing.</param>
    /// <param name="probabilities">Receives <see cref="ClassCount"/> values, one per class.</param>
    /// <returns>The class index: the largest probability's (the first on ties).</returns>
    /// <exception cref="ArgumentException">A span has the wrong length, or the row holds a non-finite value.</exception>
    public int PredictClass(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        PredictProbabilities(features, probabilities);
        return TensorPrimitives.IndexOfMax(probabilities);
    }

    /// <summary>Predicts the class name of one row of raw feature values.</summary>
    /// <param name="features">One row: <see cref="FeatureCount"/> finite values, before preprocessing.</param>
    /// <returns>The class name (one of <see cref="ClassNames"/>; nothing is allocated).</returns>
    /// <exception cref="ArgumentException">The row has the wrong length or a non-finite value.</exception>
    public string PredictClassName(ReadOnlySpan<float> features) => _classNames[PredictClass(features)];

    /// <summary>Predicts one row: its class index, name and probabilities (this overload allocates the result).</summary>
    /// <param name="features">One row: <see cref="FeatureCount"/> finite values, before preprocessing.</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="ArgumentException">The row has the wrong length or a non-finite value.</exception>
    public ClassPrediction Predict(ReadOnlySpan<float> features)
    {
        var probabilities = new float[ClassCount];
        int k = PredictClass(features, probabilities);
        return new ClassPrediction(k, _classNames[k], Array.AsReadOnly(probabilities));
    }

    /// <summary>Writes the class probabilities of one or more rows of raw feature values.</summary>
    /// <param name="features">A positive whole number of rows of <see cref="FeatureCount"/> finite values, before preprocessing.</param>
    /// <param name="probabilities">Receives <see cref="ClassCount"/> values per row; may overlap <paramref name="features"/> (the features are then read from a pooled copy).</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or a row holds a non-finite value.</exception>
    /// <remarks>With a <see cref="Preprocessor"/> and more than 256 rows (or outputs over the input), all rows are preprocessed once into pooled scratch space the size of <paramref name="features"/> before the first output is written, so a row that preprocessing turns into a non-finite value throws with its row index and leaves the outputs untouched.</remarks>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        int rows = CheckRows(features);
        if (probabilities.Length != rows * ClassCount)
        {
            throw new ArgumentException(Guard.Text($"'probabilities' must have length {rows * ClassCount} ({rows} rows of {ClassCount} classes), but has length {probabilities.Length}."), nameof(probabilities));
        }

        if (features.Overlaps(probabilities) || (_preprocessor is not null && rows > ChunkRows))
        {
            // In place (or overlapping), the input is read into a pooled copy before the first output overwrites it (the
            // probabilities of a chunk could overwrite rows of a later chunk). With a preprocessor, the rows are
            // preprocessed whole into that copy before any output is written: a row that preprocessing overflows throws
            // first (chunk by chunk, the outputs of earlier chunks would already be written).
            float[] staged;
            if (_preprocessor is null)
            {
                staged = ArrayPool<float>.Shared.Rent(features.Length);
                features.CopyTo(staged);
            }
            else
            {
                staged = PreprocessAll(features, rows);
            }

            try
            {
                ProbabilitiesOfCheckedRows(staged.AsSpan(0, features.Length), rows, probabilities, preprocessed: true);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(staged);
            }

            return;
        }

        ProbabilitiesOfCheckedRows(features, rows, probabilities, preprocessed: false);
    }

    /// <summary>
    /// Preprocesses all <paramref name="rows"/> rows at once into a pooled array (the caller returns it) and throws for the
    /// first row whose preprocessing gives a non-finite value. Used when the outputs are written in more than one chunk
    /// (or over the input), so that nothing is written before a bad row is found, and every row is still preprocessed
    /// once. Its scratch space is the size of the input.
    /// </summary>
    private float[] PreprocessAll(ReadOnlySpan<float> features, int rows)
    {
        int f = FeatureCount;
        float[] transformed = ArrayPool<float>.Shared.Rent(rows * f);
        Span<float> span = transformed.AsSpan(0, rows * f);
        _preprocessor!.Transform(features, span);
        int bad = Guard.IndexOfNonFinite(span);
        if (bad >= 0)
        {
            ArrayPool<float>.Shared.Return(transformed);
            throw PreprocessingOverflow(bad / f, bad % f);
        }

        return transformed;
    }

    private ArgumentException PreprocessingOverflow(int row, int feature) =>
        new(Guard.Text($"'features' row {row}, feature {MessageText.Quote(_featureNames[feature])}: the value is so far from the training data that preprocessing ({_preprocessor!.Name}) turns it into a non-finite number."), "features");

    /// <summary>
    /// The probabilities of <paramref name="rows"/> rows that <see cref="CheckRows"/> has accepted: preprocessing (whose
    /// output is checked, since it can overflow; skipped when <paramref name="preprocessed"/>, the rows then come from
    /// <see cref="PreprocessAll"/>, or are a plain copy where there is no preprocessor), feature selection, and the network's batched forward product, which checks nothing
    /// again (every row was validated once). Called with more than one chunk of rows only when they are preprocessed
    /// already or there is no preprocessing, so a bad row throws before anything is written.
    /// </summary>
    private void ProbabilitiesOfCheckedRows(ReadOnlySpan<float> features, int rows, Span<float> probabilities, bool preprocessed)
    {
        IPreprocessor? preprocessor = preprocessed ? null : _preprocessor;
        if (preprocessor is null && !_selects)
        {
            _network.PredictBatchChecked(features, probabilities);
            return;
        }

        int f = FeatureCount, k = _inputFeatures.Length;
        int chunk = Math.Min(rows, ChunkRows);
        float[] scratch = ArrayPool<float>.Shared.Rent(chunk * (f + k));
        try
        {
            for (int start = 0; start < rows; start += ChunkRows)
            {
                int count = Math.Min(ChunkRows, rows - start);
                ReadOnlySpan<float> prepared = features.Slice(start * f, count * f);
                if (preprocessor is not null)
                {
                    Debug.Assert(rows <= ChunkRows, "More than one chunk is preprocessed whole first.");
                    Span<float> transformed = scratch.AsSpan(0, count * f);
                    preprocessor.Transform(prepared, transformed);
                    int bad = Guard.IndexOfNonFinite(transformed);
                    if (bad >= 0)
                    {
                        throw PreprocessingOverflow(start + (bad / f), bad % f);
                    }

                    prepared = transformed;
                }

                if (_selects)
                {
                    Span<float> selected = scratch.AsSpan(chunk * f, count * k);
                    ColumnGather.Gather(prepared.Slice(0, count * f), f, _inputFeatures, selected);

                    prepared = selected;
                }

                _network.PredictBatchChecked(prepared, probabilities.Slice(start * ClassCount, count * ClassCount));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Predicts the class of each of one or more rows of raw feature values.</summary>
    /// <param name="features">A positive whole number of rows of <see cref="FeatureCount"/> finite values, before preprocessing.</param>
    /// <param name="classes">Receives one class index per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or a row holds a non-finite value.</exception>
    /// <remarks>With a <see cref="Preprocessor"/> and more than 256 rows (or outputs over the input), all rows are preprocessed once into pooled scratch space the size of <paramref name="features"/> before the first output is written, so a row that preprocessing turns into a non-finite value throws with its row index and leaves the outputs untouched.</remarks>
    public void PredictClasses(ReadOnlySpan<float> features, Span<int> classes)
    {
        int rows = CheckRows(features);
        if (classes.Length != rows)
        {
            throw new ArgumentException(Guard.Text($"'classes' must have one element per row ({rows}), but has length {classes.Length}."), nameof(classes));
        }

        // More than one chunk is preprocessed whole first, so a bad row throws before any class is written.
        bool preprocessed = _preprocessor is not null && rows > ChunkRows;
        float[]? transformed = preprocessed ? PreprocessAll(features, rows) : null;
        int f = FeatureCount, c = ClassCount;
        ReadOnlySpan<float> rowsIn = transformed is null ? features : transformed.AsSpan(0, features.Length);
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Min(rows, ChunkRows) * c);
        try
        {
            for (int start = 0; start < rows; start += ChunkRows)
            {
                int count = Math.Min(ChunkRows, rows - start);
                Span<float> probabilities = scratch.AsSpan(0, count * c);
                ProbabilitiesOfCheckedRows(rowsIn.Slice(start * f, count * f), count, probabilities, preprocessed);
                for (int r = 0; r < count; r++)
                {
                    classes[start + r] = TensorPrimitives.IndexOfMax(probabilities.Slice(r * c, c));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
            if (transformed is not null)
            {
                ArrayPool<float>.Shared.Return(transformed);
            }
        }
    }

    /// <summary>Applies the model's preprocessing to raw rows and keeps the features the network reads (<see cref="InputFeatures"/>): the data the network itself sees.</summary>
    /// <param name="data">Raw rows with <see cref="FeatureCount"/> features.</param>
    /// <returns>The preprocessed copy (of the <see cref="InputFeatures"/> columns), or <paramref name="data"/> itself when the model has no preprocessing and reads every feature.</returns>
    /// <exception cref="ArgumentException">The feature count does not match.</exception>
    public Dataset Preprocess(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != FeatureCount)
        {
            throw new ArgumentException(Guard.Text($"The data has {data.FeatureCount} features, but the model takes {FeatureCount} ({DescribeFeatures()})."), nameof(data));
        }

        Dataset prepared = _preprocessor is null ? data : _preprocessor.Transform(data);
        return _selects ? prepared.WithFeatureColumns(_inputFeatures) : prepared;
    }

    /// <summary>
    /// Returns a compact copy of the model without the inputs and hidden units that cannot change any output
    /// (<see cref="NetworkPruner.Prune(DenseNetwork)"/>). It still takes full rows of <see cref="FeatureCount"/> features,
    /// preprocesses them as before and passes the network only the features it still reads (<see cref="InputFeatures"/>),
    /// so it predicts the same probabilities up to float rounding. This model is not changed.
    /// </summary>
    /// <returns>The pruned model, with the same names, preprocessing, label name and provenance.</returns>
    public ClassificationModel Prune()
    {
        PrunedNetwork pruned = NetworkPruner.Prune(_network);
        // No live input at all: the compact network keeps one placeholder input with zero weights; feed it feature 0.
        int[] inputs = pruned.KeptInputs.Count == 0 ? [_inputFeatures[0]] : [.. pruned.KeptInputs.Select(i => _inputFeatures[i])];
        return new ClassificationModel(pruned.Network, _featureNames, _classNames, inputs)
        {
            Preprocessor = _preprocessor,
            LabelName = _labelName,
            Provenance = Provenance,
        };
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{_network} classifier of {ClassCount} classes{(_preprocessor is null ? string.Empty : $", {_preprocessor.Name}")}";

    private int CheckRows(ReadOnlySpan<float> features)
    {
        if (features.IsEmpty || features.Length % FeatureCount != 0)
        {
            throw new ArgumentException(Guard.Text($"'features' must hold a positive whole number of rows of {FeatureCount} values ({DescribeFeatures()}), but has length {features.Length}."), nameof(features));
        }

        int bad = Guard.IndexOfNonFinite(features);
        if (bad >= 0)
        {
            throw new ArgumentException(Guard.Text($"'features' holds a non-finite value in row {bad / FeatureCount}, feature '{_featureNames[bad % FeatureCount]}'."), nameof(features));
        }

        return features.Length / FeatureCount;
    }

    private string DescribeFeatures() => MessageText.List(_featureNames, 8);

    private string DescribeClasses() => MessageText.List(_classNames, 16, static n => MessageText.Quote(n, quoted: false));

    /// <summary>Validates the input indices and returns the network's input names, for the base constructor.</summary>
    private static string[] CheckInputs(DenseNetwork network, IReadOnlyList<string> featureNames, IReadOnlyList<int> inputFeatures)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(inputFeatures);
        if (inputFeatures.Count != network.InputSize)
        {
            throw new ArgumentException(Guard.Text($"'inputFeatures' must hold one feature index per network input ({network.InputSize}), but holds {inputFeatures.Count}."), nameof(inputFeatures));
        }

        var names = new string[inputFeatures.Count];
        for (int i = 0; i < names.Length; i++)
        {
            int index = inputFeatures[i];
            if (index < 0 || index >= featureNames.Count || (i > 0 && index <= inputFeatures[i - 1]))
            {
                throw new ArgumentException(Guard.Text($"'inputFeatures'[{i}] is {index}; the indices must be strictly ascending and within the {featureNames.Count} features."), nameof(inputFeatures));
            }

            names[i] = featureNames[index];
        }

        return names;
    }

    private static string[] CheckNames(IReadOnlyList<string> names, int expected, string what, string parameter)
    {
        if (names.Count != expected)
        {
            throw new ArgumentException(Guard.Text($"'{parameter}' must hold one name per {what[..^1]} ({expected}), but holds {names.Count}."), parameter);
        }

        var copy = new string[expected];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < expected; i++)
        {
            string? name = names[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException(Guard.Text($"'{parameter}'[{i}] is null or empty; every name must be non-empty."), parameter);
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException(Guard.Text($"'{parameter}' repeats the name {MessageText.Quote(name)} (at {i}); names must be distinct."), parameter);
            }

            copy[i] = name;
        }

        return copy;
    }
}
