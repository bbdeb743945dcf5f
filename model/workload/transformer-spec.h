/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TRANSFORMER_SPEC_H
#define EDGE_LLM_TRANSFORMER_SPEC_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Which stacks a Transformer has.
 */
enum class TransformerArchitecture
{
    ENCODER_ONLY,    //!< BERT, RoBERTa, DistilBERT
    DECODER_ONLY,    //!< GPT-2, OPT
    ENCODER_DECODER, //!< T5, BART
};

/**
 * \param architecture an architecture
 * \return "encoder-only", "decoder-only" or "encoder-decoder"
 */
std::string TransformerArchitectureToString(TransformerArchitecture architecture);

/**
 * \brief Parse an architecture name.
 * \param name "encoder-only", "decoder-only" or "encoder-decoder"
 * \param[out] architecture the parsed value, untouched on error
 * \return an empty string on success, otherwise the problem
 */
std::string ParseTransformerArchitecture(const std::string& name,
                                         TransformerArchitecture& architecture);

/**
 * \ingroup edge-llm
 * \brief The shape of a Transformer model: a plain value class.
 *
 * The fields are the dimensions of the model's published configuration plus the flags that
 * decide its exact parameter count (biases, layer-norm form, tied output embedding, pooler,
 * final norms, positional offset). The sequence lengths of the workload live here too, with a
 * default per preset, because every per-layer cost depends on them; set them after FromPreset()
 * to run another length.
 *
 * All parameter counts come from the per-part functions below; LayerCostModel uses the same
 * functions, so the model's total and its per-layer split cannot disagree. Conventions:
 *  - every attention projection (Q, K, V, output) is hidden x hidden (inner dimension =
 *    heads * headDim = hidden, true for every preset);
 *  - an encoder-decoder model shares one token table between encoder input, decoder input and
 *    (when tiedOutputEmbedding) the output projection; each stack has its own position table;
 *  - the parameters are split in execution order into: embedding (token, position and segment
 *    tables, embedding norm, T5's relative-position bias of the first stack), encoder layers,
 *    decoder embedding (encoder-decoder only: decoder position table and norm, the decoder's
 *    relative-position bias and the encoder's final norm), decoder layers, and the output head
 *    (pooler, final norm of the last stack, untied LM head).
 */
class TransformerSpec
{
  public:
    TransformerSpec();

    /**
     * \brief Fill \p spec with a named preset.
     * \param name a preset name, see GetPresetNames()
     * \param[out] spec the preset, untouched on error
     * \return an empty string on success, otherwise the problem, e.g.
     * "model='bert-huge' is not a known preset; allowed: bert-base, bert-large, ..."
     */
    static std::string FromPreset(const std::string& name, TransformerSpec& spec);

    /**
     * \brief Get a named preset or stop the run.
     * \param name a preset name, see GetPresetNames()
     * \return the preset; NS_FATAL_ERROR with the FromPreset() message when unknown
     */
    static TransformerSpec GetPreset(const std::string& name);

    /**
     * \return the names of all presets, in a fixed order
     */
    static std::vector<std::string> GetPresetNames();

    /**
     * \brief Check the fields.
     * \return an empty string when the spec is usable, otherwise the first problem, naming the
     * field, its value and what is allowed
     */
    std::string Validate() const;

    /** \return true if the model has an encoder stack */
    bool HasEncoder() const;
    /** \return true if the model has a decoder stack */
    bool HasDecoder() const;
    /** \return hidden / heads */
    uint32_t GetHeadDimension() const;
    /** \return the number of Transformer blocks, encoder plus decoder */
    uint32_t GetBlockCount() const;
    /**
     * \return the sequence length the decoder blocks run on: decoderSequenceLength for an
     * encoder-decoder model, sequenceLength for a decoder-only one, 0 for an encoder-only one
     */
    uint32_t GetDecoderSideSequenceLength() const;
    /** \return the rows of one position table: maxPositions + positionOffset, 0 when none */
    uint64_t GetPositionTableRows() const;

    /** \return parameters of one layer norm: hidden, times two when it has a bias */
    uint64_t GetLayerNormParameterCount() const;
    /** \return parameters of one attention (Q, K, V and output projections) */
    uint64_t GetAttentionParameterCount() const;
    /** \return parameters of one feed-forward network (two projections) */
    uint64_t GetFfnParameterCount() const;
    /** \return parameters of the embedding layer (first in execution order) */
    uint64_t GetEmbeddingParameterCount() const;
    /** \return parameters of one encoder block: attention, FFN, two norms */
    uint64_t GetEncoderLayerParameterCount() const;
    /** \return parameters of the decoder embedding layer (encoder-decoder only, else 0) */
    uint64_t GetDecoderEmbeddingParameterCount() const;
    /**
     * \return parameters of one decoder block: like an encoder block for a decoder-only model;
     * self-attention, cross-attention, FFN and three norms for an encoder-decoder model
     */
    uint64_t GetDecoderLayerParameterCount() const;
    /** \return parameters of the output head: pooler, final norm, untied LM head */
    uint64_t GetOutputHeadParameterCount() const;
    /**
     * \return the parameters of the token table that layers other than the embedding use
     * (vocabulary * hidden when the LM head is tied or the decoder reads the shared table),
     * counted once, in the embedding
     */
    uint64_t GetTiedEmbeddingParameterCount() const;
    /** \return all parameters: the sum of the parts above */
    uint64_t GetParameterCount() const;

    std::string name;                     //!< preset or user name
    TransformerArchitecture architecture; //!< which stacks exist
    uint32_t encoderLayers;               //!< encoder blocks (0 for decoder-only)
    uint32_t decoderLayers;               //!< decoder blocks (0 for encoder-only)
    uint32_t hidden;                      //!< model width (d_model)
    uint32_t heads;                       //!< attention heads; must divide hidden
    uint32_t ffn;                         //!< feed-forward intermediate size
    uint32_t vocabulary;                  //!< token vocabulary
    uint32_t maxPositions;                //!< learned absolute positions per stack, 0 when none
    uint32_t positionOffset; //!< extra rows of the position table (2 for OPT/BART/RoBERTa)
    uint32_t typeVocabulary; //!< BERT segment (token type) embeddings, 0 when none
    uint32_t relativeAttentionBuckets; //!< T5 relative-position buckets per stack, 0 when none
    bool linearBias;                   //!< linear layers have biases (T5: false)
    bool normBias;                     //!< LayerNorm with bias; false: RMSNorm, weight only (T5)
    bool embeddingLayerNorm;           //!< a norm after the embedding sum (BERT, BART)
    bool finalLayerNorm;               //!< a norm after the last block of each stack (T5, GPT)
    bool pooler;                       //!< BERT pooler: dense hidden x hidden + tanh
    bool lmHead;                       //!< the model ends in a vocabulary projection
    bool tiedOutputEmbedding;          //!< the LM head reuses the token table
    bool gatedFfn;                     //!< gated FFN (3 projections): not supported, false
    uint32_t sequenceLength;           //!< encoder (or decoder-only) input length
    uint32_t decoderSequenceLength;    //!< target length of an encoder-decoder model, else 0
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TRANSFORMER_SPEC_H */
