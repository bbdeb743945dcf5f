/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TENSOR_FRAME_HEADER_H
#define EDGE_LLM_TENSOR_FRAME_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Frame that precedes every tensor message on a byte stream: message id and payload length.
 *
 * A TCP connection carries many messages back to back; the receiver reads this fixed-size frame,
 * then counts exactly PayloadLength bytes as the message's payload.
 */
class TensorFrameHeader : public Header
{
  public:
    /// Serialized size in bytes: two 64-bit fields.
    static constexpr uint32_t SERIALIZED_SIZE = 16;

    TensorFrameHeader();

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /// \param id the message id
    void SetMessageId(uint64_t id);
    /// \return the message id
    uint64_t GetMessageId() const;
    /// \param bytes the payload length in bytes
    void SetPayloadLength(uint64_t bytes);
    /// \return the payload length in bytes
    uint64_t GetPayloadLength() const;

  private:
    uint64_t m_messageId;     //!< message id
    uint64_t m_payloadLength; //!< payload bytes that follow the frame
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TENSOR_FRAME_HEADER_H */
