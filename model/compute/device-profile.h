/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_DEVICE_PROFILE_H
#define EDGE_LLM_DEVICE_PROFILE_H

#include "ns3/data-type.h"

#include <array>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>

namespace ns3
{
namespace edgellm
{

/// Largest time ratio of a 16-bit kernel over its fp32 form a profile may give: beyond it a
/// measurement has failed, not a kernel (LibTorch 1.13's slowest CPU bf16 path, LayerNorm,
/// measures 10 to 13 here).
constexpr double MAX_16BIT_TIME_RATIO = 100;

/**
 * \ingroup edge-llm
 * \brief What a compute model needs to know about one device: its arithmetic rates, memory,
 * power draw and radio.
 *
 * A plain value class. Profiles normally come from data/devices.json through DeviceCatalog;
 * programs may also build one with the setters and check it with Validate().
 *
 * Units are SI throughout: FLOP/s, bytes, bytes/s, watts, dBm.
 */
class DeviceProfile
{
  public:
    /** An empty profile; Validate() reports it as invalid until every field is set. */
    DeviceProfile();

    /** \param name short identifier, lower-case letters, digits and '-', e.g. "jetson-nano" */
    void SetName(const std::string& name);
    /** \return the short identifier */
    std::string GetName() const;

    /** \param description one line saying which hardware and configuration this is */
    void SetDescription(const std::string& description);
    /** \return the one-line description */
    std::string GetDescription() const;

    /**
     * \brief Set the peak rate for one data type.
     *
     * Where the hardware has no native arithmetic for \p dtype, give the rate it really reaches
     * by emulation or upcast (usually the fp32 rate), not zero.
     *
     * \param dtype the data type
     * \param flopsPerSecond the vendor's peak (dense, no structured sparsity), in FLOP/s
     */
    void SetPeakFlops(DataType dtype, double flopsPerSecond);
    /**
     * \param dtype the data type
     * \return the peak rate for \p dtype in FLOP/s
     */
    double GetPeakFlops(DataType dtype) const;

    /**
     * \param efficiency fraction of peak reached on dense Transformer layers, in (0, 1]
     */
    void SetEfficiency(double efficiency);
    /** \return fraction of peak reached on dense Transformer layers */
    double GetEfficiency() const;

    /**
     * \param dtype the data type
     * \return the sustained rate the analytic model uses: GetPeakFlops(dtype) * GetEfficiency()
     */
    double GetAchievedFlops(DataType dtype) const;

    /**
     * \brief Set the fraction of peak the batched attention products (QK^T, attention x V)
     * reach; until set, the GEMM efficiency (SetEfficiency) is used.
     * \param efficiency fraction of peak, in (0, 1]
     */
    void SetAttentionEfficiency(double efficiency);
    /** \return the fraction of peak reached by batched attention products */
    double GetAttentionEfficiency() const;

    /**
     * \param efficiency fraction of the peak memory bandwidth that streaming (elementwise)
     * kernels reach, in (0, 1]; 1 until set
     */
    void SetMemoryEfficiency(double efficiency);
    /** \return the fraction of the peak memory bandwidth streaming kernels reach */
    double GetMemoryEfficiency() const;

    /**
     * \param seconds fixed time per kernel: launch and framework dispatch, >= 0; 0 until set
     * (the roofline limit case)
     */
    void SetKernelOverhead(double seconds);
    /** \return the fixed time per kernel, in seconds */
    double GetKernelOverhead() const;

    /**
     * \param seconds extra time per kernel that autograd records (a training forward on the
     * gradient path) or runs (a backward kernel): building the graph node, saving its inputs,
     * the engine's scheduling; >= 0; 0 until set
     */
    void SetAutogradOverhead(double seconds);
    /** \return the extra time per autograd kernel, in seconds */
    double GetAutogradOverhead() const;

    /**
     * \param overlap whether a kernel's arithmetic and memory traffic overlap, so that the
     * slower decides (the roofline's max: GPUs, whose many warps hide memory latency); false
     * adds them (a CPU's BLAS at layer sizes packs its operands, then computes); true until set
     */
    void SetComputeMemoryOverlap(bool overlap);
    /** \return whether a kernel's arithmetic and memory time overlap (max) or add */
    bool GetComputeMemoryOverlap() const;

    /**
     * \param ratio time of a 16-bit (fp16, bf16) element-wise kernel (KernelClass::ELEMENTWISE)
     * over the same kernel in fp32, in (0, MAX_16BIT_TIME_RATIO]: 0.5 (default) where 16-bit
     * arithmetic is native and the kernel moves half the bytes (GPUs); about 1 or more where the
     * kernels convert every element to fp32 and back (LibTorch's CPU kernels; measured by
     * edge-llm-calibrate --dtype=fp32,bf16)
     */
    void SetElementwise16BitTimeRatio(double ratio);
    /** \return the time of a 16-bit element-wise kernel over its fp32 form */
    double GetElementwise16BitTimeRatio() const;

    /**
     * \param ratio the same for a 16-bit normalization (KernelClass::NORMALIZATION: layer or RMS
     * norm), in (0, MAX_16BIT_TIME_RATIO]: 0.5 (default) where native; LibTorch 1.13's CPU bf16
     * LayerNorm takes 10 to 13 times its fp32 time
     */
    void SetNormalization16BitTimeRatio(double ratio);
    /** \return the time of a 16-bit normalization over its fp32 form */
    double GetNormalization16BitTimeRatio() const;

    /**
     * \param seconds extra fixed time of a 16-bit matrix product (GEMM and attention classes)
     * over its fp32 form, per kernel, in [0, 1] s; 0 (default) where both take one path
     * (LibTorch's CPU bf16 products go through oneDNN, which sets up each call: about 5 to 7 us
     * more than fp32's BLAS here)
     */
    void SetMatmul16BitOverhead(double seconds);
    /** \return the extra seconds of a 16-bit matrix product per kernel */
    double GetMatmul16BitOverhead() const;

    /**
     * \param seconds extra time of a 16-bit kernel that autograd records or runs (see
     * SetAutogradOverhead) over its fp32 form, in [0, 1] s; 0 (default) where the types cost the
     * same to record (LibTorch's CPU bf16 training forwards cost more to record than fp32's:
     * fitted by edge-llm-calibrate --dtype=fp32,bf16)
     */
    void SetAutograd16BitOverhead(double seconds);
    /** \return the extra seconds per 16-bit autograd kernel */
    double GetAutograd16BitOverhead() const;

    /**
     * \param bytes memory the operating system, the framework and (on GPUs) the CUDA context
     * take before any model tensor exists; 0 until set
     */
    void SetRuntimeReserveBytes(uint64_t bytes);
    /** \return the runtime reserve in bytes */
    uint64_t GetRuntimeReserveBytes() const;
    /** \return GetMemoryBytes() minus GetRuntimeReserveBytes(): what model tensors may use */
    uint64_t GetAvailableMemoryBytes() const;

    /** \param bytes usable device memory; for unified-memory SoCs the total RAM */
    void SetMemoryBytes(uint64_t bytes);
    /** \return usable device memory in bytes */
    uint64_t GetMemoryBytes() const;

    /** \param bytesPerSecond peak device-memory bandwidth */
    void SetMemoryBandwidth(double bytesPerSecond);
    /** \return peak device-memory bandwidth in bytes/s */
    double GetMemoryBandwidth() const;

    /** \param watts power drawn while computing */
    void SetBusyPower(double watts);
    /** \return power drawn while computing, in W */
    double GetBusyPower() const;

    /** \param watts power drawn while powered on and not computing */
    void SetIdlePower(double watts);
    /** \return power drawn while idle, in W */
    double GetIdlePower() const;

    /** \param dbm maximum transmit power of the device's radio (Wi-Fi or cellular module) */
    void SetMaxTxPowerDbm(double dbm);
    /** \return maximum radio transmit power in dBm */
    double GetMaxTxPowerDbm() const;

    /**
     * \brief The storage a cache of activations can use (optional in the catalog).
     * \param bytes storage free for it
     * \param readBytesPerSecond sequential read rate
     * \param writeBytesPerSecond sequential write rate
     */
    void SetStorage(uint64_t bytes, double readBytesPerSecond, double writeBytesPerSecond);
    /** \return whether the storage figures are set */
    bool HasStorage() const;
    /** \return storage free for a cache in bytes (0: not given) */
    uint64_t GetStorageBytes() const;
    /** \return storage sequential read rate in bytes/s (0: not given) */
    double GetStorageReadRate() const;
    /** \return storage sequential write rate in bytes/s (0: not given) */
    double GetStorageWriteRate() const;

    /** \param notes free text: configuration chosen, emulated data types, caveats */
    void SetNotes(const std::string& notes);
    /** \return the free-text notes */
    std::string GetNotes() const;

    /**
     * \brief Record where a figure comes from.
     * \param field a field name as in data/devices.json, e.g. "memory_bandwidth_gb_per_s"
     * \param source the vendor document or page (title and URL as text)
     */
    void SetSource(const std::string& field, const std::string& source);
    /**
     * \param field a field name as in data/devices.json
     * \return its source, or an empty string when none is recorded
     */
    std::string GetSource(const std::string& field) const;
    /** \return every recorded source, by field name */
    const std::map<std::string, std::string>& GetSources() const;

    /**
     * \brief Check every field.
     * \return an empty string when the profile is usable, otherwise the first problem, naming the
     * device, the field, its value and what is allowed, e.g.
     * "device 'jetson-nano': memoryBytes=0 is invalid: must be positive"
     */
    std::string Validate() const;

  private:
    std::string m_name;                           //!< short identifier
    std::string m_description;                    //!< one-line description
    std::array<double, 3> m_peakFlops;            //!< FLOP/s, indexed by DataType
    double m_efficiency;                          //!< fraction of peak, (0, 1]
    double m_attentionEfficiency;                 //!< attention products, (0, 1]
    bool m_attentionEfficiencySet;                //!< false: m_efficiency applies
    double m_memoryEfficiency;                    //!< fraction of peak bandwidth, (0, 1]
    double m_kernelOverhead;                      //!< seconds per kernel
    bool m_computeMemoryOverlap;                  //!< max (true) or sum of the two terms
    double m_elementwise16BitTimeRatio{0.5};      //!< 16-bit over fp32 element-wise time
    double m_normalization16BitTimeRatio{0.5};    //!< 16-bit over fp32 normalization time
    double m_matmul16BitOverhead{0};              //!< extra seconds per 16-bit matrix product
    double m_autograd16BitOverhead{0};            //!< extra seconds per 16-bit autograd kernel
    double m_autogradOverhead;                    //!< extra seconds per autograd kernel
    uint64_t m_runtimeReserveBytes;               //!< OS + framework + context
    uint64_t m_memoryBytes;                       //!< usable memory
    double m_memoryBandwidth;                     //!< bytes/s
    double m_busyPower;                           //!< W
    double m_idlePower;                           //!< W
    double m_maxTxPowerDbm;                       //!< dBm
    uint64_t m_storageBytes{0};                   //!< storage free for a cache (0: not given)
    double m_storageReadRate{0};                  //!< storage read bytes/s
    double m_storageWriteRate{0};                 //!< storage write bytes/s
    std::string m_notes;                          //!< free text
    std::map<std::string, std::string> m_sources; //!< field name -> source
};

/**
 * \brief Print a one-line summary of a profile (name, peaks, memory, bandwidth, power).
 * \param os the stream
 * \param device the profile
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const DeviceProfile& device);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_DEVICE_PROFILE_H */
